using LeadHandoff.Api.Persistence;
using V1 = LeadHandoff.Contracts.V1;
using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Interactions;
using LeadHandoff.Domain.Leads;
using LeadHandoff.Domain.Qualification;
using LeadHandoff.Domain.Sla;

namespace LeadHandoff.Api.Handoffs;

/// Maps Domain values onto the published contract.
internal static class HandoffMessages
{
    public const int TopInterestCount = 5;

    public static V1.LeadHandoffRequested Create(
        Guid handoffId,
        Guid leadId,
        DateTimeOffset occurredAt,
        LeadProfile profile,
        IEnumerable<LeadExternalIdRecord> externalIds,
        InteractionStats stats,
        Decision decision,
        SlaTerms terms,
        string sourceId)
    {
        var deadlines = SlaClock.Deadlines(terms, occurredAt);
        return new V1.LeadHandoffRequested(
            handoffId,
            leadId,
            occurredAt,
            new V1.LeadProfile(
                profile.Email,
                profile.FirstName,
                profile.LastName,
                profile.Phone,
                profile.Company,
                profile.JobTitle,
                profile.CompanySize,
                profile.Website,
                profile.Country,
                profile.Industry,
                externalIds.ToDictionary(x => x.System, x => x.Value, StringComparer.Ordinal),
                new Dictionary<string, string>(profile.CustomFields, StringComparer.Ordinal)),
            new V1.LeadScores(profile.Score)
            {
                FitScore = decision.Scores.Fit,
                EngagementScore = decision.Scores.Engagement,
                Grade = decision.Scores.Grade,
            },
            new V1.QualificationDecision(
                decision.PolicyVersion,
                decision.Outcome.ToString().ToLowerInvariant(),
                decision.Rules.Where(r => r.Matched).Select(ToContract).ToList()),
            new V1.InteractionSummary(
                stats.Total,
                new Dictionary<string, int>(stats.CountsByType, StringComparer.Ordinal),
                ToContract(stats.FirstTouch),
                ToContract(stats.LastTouch),
                stats.Recent.Select(t => ToContract(t)!).ToList(),
                stats.TopInterests(TopInterestCount, occurredAt).Select(ToContract).ToList())
            {
                Attribution = ToContract(Attribution.Of(stats)),
            },
            new V1.SlaTerms(deadlines.AcceptBy, deadlines.FirstContactBy, terms.MaxAttempts, terms.GiveUp.ToString().ToLowerInvariant()),
            new V1.RoutingHints(profile.Country, profile.CompanySize, sourceId, stats.FirstTouch?.Campaign))
        {
            Summary = SellerSummary.Write(profile, stats, occurredAt, decision.Scores.Grade),
        };
    }

    public static V1.Interest ToContract(RankedInterest interest) =>
        new(interest.Topic, interest.Count) { Weight = interest.Weight, LastAt = interest.LastAt };

    private static V1.Attribution ToContract(Attribution attribution) =>
        new(attribution.FirstSource, attribution.FirstCampaign, attribution.LastSource, attribution.LastCampaign);

    private static V1.RuleResult ToContract(RuleVerdict verdict) =>
        new(verdict.RuleId, verdict.Description, verdict.Matched, verdict.Observed);

    private static V1.Touch? ToContract(TouchPoint? touch) => touch is null
        ? null
        : new V1.Touch(EventTypes.Name(touch.Type), touch.OccurredAt, touch.Source, touch.Channel, touch.Name, touch.Url, touch.Campaign);
}
