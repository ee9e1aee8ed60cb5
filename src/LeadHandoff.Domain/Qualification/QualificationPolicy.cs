using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Sla;

namespace LeadHandoff.Domain.Qualification;

/// The agreement's qualification rules: who marketing hands over, and who must never reach a seller.
/// <param name="Version">Stamped on every decision so a decision can always be traced to the rules that made it.</param>
public sealed record QualificationPolicy(
    string Version,
    MqlGate Mql,
    IReadOnlyList<BlacklistEntry> Blacklist,
    SlaTerms Sla)
{
    public Scoring Scoring { get; init; } = Scoring.None;

    /// Exceptions to the blacklist, for a named domain or lead.
    public IReadOnlyList<AllowEntry> Allow { get; init; } = [];

    /// Extra rules a recycled (nurture) lead must meet to become an MQL again, on top of the gate.
    public IReadOnlyList<PolicyRule> Requalify { get; init; } = [];
}

/// A lead is an MQL when its score reaches <see cref="MinScore"/> (if set), every fit and engagement rule holds,
/// and the computed scores and grade reach their minimums (if set).
public sealed record MqlGate(int? MinScore, IReadOnlyList<PolicyRule> Fit)
{
    public IReadOnlyList<PolicyRule> Engagement { get; init; } = [];

    public int? MinFitScore { get; init; }

    public int? MinEngagementScore { get; init; }

    /// One of the scoring grades; that grade or a better one is required.
    public string? MinGrade { get; init; }
}

/// A named condition; its id and description are what explanations show.
public sealed record PolicyRule(string Id, string Description, Condition When);

/// Optional weights: fit points from rules on the profile, engagement points per interaction type decayed by age,
/// and grades from the fit score.
/// <param name="Grades">Best first; a lead gets the first grade whose minimum its fit score reaches.</param>
public sealed record Scoring(
    IReadOnlyList<PointsRule> Fit,
    IReadOnlyDictionary<EventType, double> EngagementPoints,
    double? HalfLifeDays,
    IReadOnlyList<GradeBand> Grades)
{
    public static readonly Scoring None = new([], new Dictionary<EventType, double>(), null, []);
}

public sealed record PointsRule(string Id, string Description, Condition When, int Points);

public sealed record GradeBand(string Grade, int MinFitScore);

/// <param name="Category">What kind of profile this is (freeMail, competitor, student, roleAccount, test, embargo…).</param>
/// <param name="Values">Lower-case values to match; case never matters.</param>
public sealed record BlacklistEntry(
    string Id,
    string Category,
    BlacklistMatch Match,
    IReadOnlySet<string> Values,
    string Reason)
{
    /// The condition of a <see cref="BlacklistMatch.Condition"/> entry.
    public Condition? When { get; init; }
}

public enum BlacklistMatch
{
    /// The email's domain, or a subdomain of it.
    EmailDomain,

    /// The part before the @, for role accounts such as info@.
    EmailLocalPart,

    /// A keyword appearing as a word in the job title.
    JobTitleKeyword,

    /// The country code.
    Country,

    /// The lead unsubscribed (an <c>unsubscribed</c> event was received).
    Unsubscribed,

    /// Any condition of the policy language, e.g. a company name that says "test".
    Condition,
}

/// Overrides blacklist entries (all of them when <see cref="Overrides"/> is empty) for the named domains or leads.
public sealed record AllowEntry(
    string Id,
    string Reason,
    IReadOnlySet<string> EmailDomains,
    IReadOnlySet<Guid> LeadIds,
    IReadOnlySet<string> Overrides);
