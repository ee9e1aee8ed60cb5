using System.Globalization;
using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Qualification;
using LeadHandoff.Domain.Sla;

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
        SlaView.Of(policy.Sla));

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

/// The SLA terms in force, in the shape of the policy file's <c>sla:</c> section (plus the derived attempt window).
internal sealed record SlaView(
    CalendarView Calendar,
    double AcceptWithinHours,
    double FirstContactWithinHours,
    int AttemptsPerDay,
    int MaxAttempts,
    double AttemptWindowHours,
    string GiveUp,
    IReadOnlyList<AtRiskView> AtRisk,
    int MonthlyMqlGoal,
    decimal FollowUpTarget,
    int ReviewAfterMonths)
{
    public static SlaView Of(SlaTerms sla) => new(
        CalendarView.Of(sla.Calendar),
        sla.AcceptWithin.TotalHours,
        sla.FirstContactWithin.TotalHours,
        sla.AttemptsPerDay,
        sla.MaxAttempts,
        sla.AttemptWindow.TotalHours,
        sla.GiveUp.ToString().ToLowerInvariant(),
        sla.AtRisk.Select(s => new AtRiskView(s.Level, s.Fraction)).ToList(),
        sla.MonthlyMqlGoal,
        sla.FollowUpTarget,
        sla.ReviewAfterMonths);
}

internal sealed record AtRiskView(string Level, decimal At);

/// Times are the local wall clock of <see cref="TimeZone"/>; a day that closes at midnight reads "24:00", as in the file.
internal sealed record CalendarView(string TimeZone, IReadOnlyList<string> WorkingDays, string Opens, string Closes, IReadOnlyList<string> Holidays)
{
    public static CalendarView Of(BusinessCalendar calendar) => new(
        calendar.TimeZone.Id,
        calendar.WorkingDays.OrderBy(d => ((int)d + 6) % 7).Select(d => d.ToString().ToLowerInvariant()).ToList(),
        Clock(calendar.Opens),
        Clock(calendar.Closes),
        calendar.Holidays.Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList());

    private static string Clock(TimeSpan time) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours:00}:{time.Minutes:00}");
}
