using LeadHandoff.Domain.Leads;

namespace LeadHandoff.Domain.Qualification;

/// What one event does to a lead's place in the funnel.
/// <param name="Decision">Null when the lead's stage is no longer marketing's to decide.</param>
/// <param name="HandOff">True exactly when the lead has just become an MQL.</param>
public sealed record QualificationStep(Decision? Decision, LeadStage Stage, bool HandOff)
{
    /// Only leads marketing still owns (new, or recycled to nurture) are evaluated, so a lead becomes an MQL at
    /// most once per cycle; later events keep enriching its history without a second handoff. A recycled lead
    /// must also meet the policy's re-qualification rules.
    public static QualificationStep Next(QualificationPolicy policy, LeadStage stage, LeadFacts facts)
    {
        if (stage is not (LeadStage.Lead or LeadStage.Nurture))
        {
            return new QualificationStep(null, stage, false);
        }

        var decision = Qualifier.Evaluate(policy, facts, requalifying: stage == LeadStage.Nurture);
        return decision switch
        {
            Qualified => new QualificationStep(decision, LeadStage.Mql, true),
            Disqualified => new QualificationStep(decision, LeadStage.Disqualified, false),
            _ => new QualificationStep(decision, stage, false),
        };
    }
}
