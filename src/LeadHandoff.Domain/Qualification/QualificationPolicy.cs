using LeadHandoff.Domain.Sla;

namespace LeadHandoff.Domain.Qualification;

/// The agreement's qualification rules: who marketing hands over, and who must never reach a seller.
/// <param name="Version">Stamped on every decision so a decision can always be traced to the rules that made it.</param>
public sealed record QualificationPolicy(
    string Version,
    MqlGate Mql,
    IReadOnlyList<BlacklistEntry> Blacklist,
    SlaTerms Sla);

/// A lead is an MQL when its score reaches <see cref="MinScore"/> (if set) and every fit condition holds.
public sealed record MqlGate(int? MinScore, IReadOnlyList<FitCondition> Fit);

public sealed record FitCondition(
    string Id,
    string Field,
    ConditionOperator Operator,
    IReadOnlyList<string> Values,
    string Description);

public enum ConditionOperator
{
    EqualTo,
    NotEqualTo,
    In,
    NotIn,
    Contains,
    StartsWith,
    EndsWith,
    Exists,
    Missing,
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
}

/// <param name="Category">What kind of profile this is (freeMail, competitor, student, roleAccount, test, embargo…).</param>
/// <param name="Values">Lower-case values to match; case never matters.</param>
public sealed record BlacklistEntry(
    string Id,
    string Category,
    BlacklistMatch Match,
    IReadOnlySet<string> Values,
    string Reason);

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
}
