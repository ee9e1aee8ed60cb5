namespace LeadHandoff.Domain.Sla;

public enum GiveUpAction
{
    Recycle,
    Disqualify,
}

/// Sales' side of the agreement.
public sealed record SlaTerms(
    TimeSpan AcceptWithin,
    TimeSpan FirstContactWithin,
    int MaxAttempts,
    GiveUpAction GiveUp,
    int MonthlyMqlGoal);

public sealed record SlaDeadlines(DateTimeOffset AcceptBy, DateTimeOffset FirstContactBy);

public static class SlaClock
{
    /// Elapsed-time deadlines from the moment the lead became an MQL.
    public static SlaDeadlines Deadlines(SlaTerms terms, DateTimeOffset mqlAt)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return new SlaDeadlines(mqlAt + terms.AcceptWithin, mqlAt + terms.FirstContactWithin);
    }
}
