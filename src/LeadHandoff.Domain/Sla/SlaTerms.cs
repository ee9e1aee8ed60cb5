namespace LeadHandoff.Domain.Sla;

public enum GiveUpAction
{
    Recycle,
    Disqualify,
}

/// A warning before a deadline, at a fraction of the allowed (business) time.
public sealed record AtRiskStep(string Level, decimal Fraction);

/// Sales' side of the agreement. Durations are business time on <see cref="Calendar"/>.
public sealed record SlaTerms(
    TimeSpan AcceptWithin,
    TimeSpan FirstContactWithin,
    int MaxAttempts,
    GiveUpAction GiveUp,
    int MonthlyMqlGoal)
{
    public static IReadOnlyList<AtRiskStep> DefaultLadder { get; } = [new("reminder", 0.5m), new("escalation", 0.9m)];

    public BusinessCalendar Calendar { get; init; } = BusinessCalendar.AlwaysOpen;

    public int AttemptsPerDay { get; init; } = 2;

    public IReadOnlyList<AtRiskStep> AtRisk { get; init; } = DefaultLadder;

    /// Months in a row the MQL goal or the follow-up target may be missed before the agreement is flagged for review.
    public int ReviewAfterMonths { get; init; } = 3;

    /// Share of handoffs that must be first contacted within <see cref="FirstContactWithin"/>.
    public decimal FollowUpTarget { get; init; } = 0.9m;

    /// Business time after the first-contact deadline during which the attempts are to be made: as many working
    /// days as the attempts need at <see cref="AttemptsPerDay"/>.
    public TimeSpan AttemptWindow => Calendar.HoursPerDay * Math.Ceiling((double)MaxAttempts / Math.Max(1, AttemptsPerDay));
}

public sealed record SlaDeadlines(DateTimeOffset AcceptBy, DateTimeOffset FirstContactBy);

public static class SlaClock
{
    /// Business-time deadlines from the moment the lead became an MQL.
    public static SlaDeadlines Deadlines(SlaTerms terms, DateTimeOffset mqlAt)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return new SlaDeadlines(terms.Calendar.Add(mqlAt, terms.AcceptWithin), terms.Calendar.Add(mqlAt, terms.FirstContactWithin));
    }

    /// When the attempts run out without a contact and the give-up rule applies.
    public static DateTimeOffset GiveUpAt(SlaTerms terms, DateTimeOffset firstContactBy)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return terms.Calendar.Add(firstContactBy, terms.AttemptWindow);
    }
}
