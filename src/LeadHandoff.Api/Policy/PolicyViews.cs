using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Qualification;

namespace LeadHandoff.Api.Policy;

internal sealed record PolicyView(
    string Version,
    MqlView Mql,
    IReadOnlyList<RuleView> Requalify,
    ScoringView Scoring,
    IReadOnlyList<BlacklistView> Blacklist,
    IReadOnlyList<AllowView> Allow,
    SlaView Sla)
{
    public static PolicyView Of(QualificationPolicy policy) => new(
        policy.Version,
        new MqlView(
            policy.Mql.MinScore,
            policy.Mql.MinFitScore,
            policy.Mql.MinEngagementScore,
            policy.Mql.MinGrade,
            policy.Mql.Fit.Select(RuleView.Of).ToList(),
            policy.Mql.Engagement.Select(RuleView.Of).ToList()),
        policy.Requalify.Select(RuleView.Of).ToList(),
        new ScoringView(
            policy.Scoring.Fit.Select(p => new PointsView(p.Id, p.Description, p.Points, PolicyFile.Describe(p.When))).ToList(),
            policy.Scoring.EngagementPoints.ToDictionary(p => EventTypes.Name(p.Key), p => p.Value, StringComparer.Ordinal),
            policy.Scoring.HalfLifeDays,
            policy.Scoring.Grades.Select(g => new GradeView(g.Grade, g.MinFitScore)).ToList()),
        policy.Blacklist.Select(b => new BlacklistView(
            b.Id,
            b.Category,
            Camel(b.Match.ToString()),
            b.Reason,
            b.Values.Order(StringComparer.Ordinal).ToList(),
            b.When is null ? null : PolicyFile.Describe(b.When))).ToList(),
        policy.Allow.Select(a => new AllowView(a.Id, a.Reason, a.EmailDomains.Order(StringComparer.Ordinal).ToList(), [.. a.LeadIds], [.. a.Overrides])).ToList(),
        new SlaView(
            policy.Sla.AcceptWithin.TotalHours,
            policy.Sla.FirstContactWithin.TotalHours,
            policy.Sla.MaxAttempts,
            policy.Sla.GiveUp.ToString().ToLowerInvariant(),
            policy.Sla.MonthlyMqlGoal));

    private static string Camel(string name) => string.Concat(char.ToLowerInvariant(name[0]).ToString(), name.AsSpan(1));
}

internal sealed record MqlView(
    int? MinScore,
    int? MinFitScore,
    int? MinEngagementScore,
    string? MinGrade,
    IReadOnlyList<RuleView> Fit,
    IReadOnlyList<RuleView> Engagement);

internal sealed record RuleView(string Id, string Description, string Condition)
{
    public static RuleView Of(PolicyRule rule) => new(rule.Id, rule.Description, PolicyFile.Describe(rule.When));
}

internal sealed record ScoringView(
    IReadOnlyList<PointsView> Fit,
    IReadOnlyDictionary<string, double> EngagementPoints,
    double? HalfLifeDays,
    IReadOnlyList<GradeView> Grades);

internal sealed record PointsView(string Id, string Description, int Points, string Condition);

internal sealed record GradeView(string Grade, int MinFitScore);

internal sealed record BlacklistView(string Id, string Category, string Match, string Reason, IReadOnlyList<string> Values, string? Condition);

internal sealed record AllowView(string Id, string Reason, IReadOnlyList<string> EmailDomains, IReadOnlyList<Guid> LeadIds, IReadOnlyList<string> Overrides);

internal sealed record SlaView(double AcceptWithinHours, double FirstContactWithinHours, int MaxAttempts, string GiveUp, int MonthlyMqlGoal);
