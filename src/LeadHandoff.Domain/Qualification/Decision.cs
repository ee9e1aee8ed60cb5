namespace LeadHandoff.Domain.Qualification;

/// One rule's verdict on one lead. <see cref="Observed"/> is what the rule looked at — never a whole email
/// address or a phone number.
public sealed record RuleVerdict(string RuleId, string Description, bool Matched, string? Observed);

public enum DecisionOutcome
{
    Qualified,
    Disqualified,
    NotYet,
}

/// A qualification decision: a closed set of outcomes, each naming the rules behind it.
public abstract record Decision(string PolicyVersion, IReadOnlyList<RuleVerdict> Rules)
{
    public abstract DecisionOutcome Outcome { get; }

    /// The scores the decision was made with.
    public ScoreCard Scores { get; init; } = ScoreCard.Zero;
}

public sealed record Qualified(string PolicyVersion, IReadOnlyList<RuleVerdict> Rules) : Decision(PolicyVersion, Rules)
{
    public override DecisionOutcome Outcome => DecisionOutcome.Qualified;
}

/// Blacklisted: <see cref="Decision.Rules"/> holds the blacklist entries that matched.
public sealed record Disqualified(string PolicyVersion, IReadOnlyList<RuleVerdict> Rules) : Decision(PolicyVersion, Rules)
{
    public override DecisionOutcome Outcome => DecisionOutcome.Disqualified;
}

/// Not (yet) an MQL: <see cref="Unmet"/> names the conditions still missing.
public sealed record NotYet(string PolicyVersion, IReadOnlyList<RuleVerdict> Rules) : Decision(PolicyVersion, Rules)
{
    public override DecisionOutcome Outcome => DecisionOutcome.NotYet;

    public IEnumerable<RuleVerdict> Unmet => Rules.Where(r => !r.Matched);
}
