using LeadHandoff.Domain.Stages;

namespace LeadHandoff.Domain.Sla;

public enum SlaDeadline
{
    Accept,
    FirstContact,
}

/// One alert of the ladder: an at-risk step (<c>reminder</c>, <c>escalation</c>…) or the breach itself.
/// <param name="Kind">The at-risk level, or <see cref="SlaWatch.Breach"/>.</param>
/// <param name="DueAt">The deadline concerned.</param>
/// <param name="At">When this alert became due.</param>
public sealed record SlaAlert(SlaDeadline Deadline, string Kind, DateTimeOffset DueAt, DateTimeOffset At);

/// What the monitor must do for one handoff now, and when to look at it again (null: never, it is closed).
public sealed record SlaCheck(IReadOnlyList<SlaAlert> Due, bool GiveUp, DateTimeOffset? NextCheckAt);

/// The monitor's rules for one handoff, as a pure function of its progress and the clock.
public static class SlaWatch
{
    public const string Breach = "breach";

    public static string Name(SlaDeadline deadline) => deadline == SlaDeadline.Accept ? "accept" : "firstContact";

    public static SlaCheck Check(
        SlaTerms terms,
        HandoffProgress progress,
        DateTimeOffset mqlAt,
        SlaDeadlines deadlines,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(deadlines);
        if (progress.IsClosed)
        {
            return new SlaCheck([], false, null);
        }

        var due = new List<SlaAlert>();
        DateTimeOffset? next = null;
        var contacted = progress.State is not (HandoffState.AwaitingAcceptance or HandoffState.Accepted);
        if (progress.State == HandoffState.AwaitingAcceptance)
        {
            Ladder(terms, SlaDeadline.Accept, mqlAt, terms.AcceptWithin, deadlines.AcceptBy, now, due, ref next);
        }

        if (!contacted)
        {
            Ladder(terms, SlaDeadline.FirstContact, mqlAt, terms.FirstContactWithin, deadlines.FirstContactBy, now, due, ref next);
            var giveUpAt = SlaClock.GiveUpAt(terms, deadlines.FirstContactBy);
            if (progress.Attempts >= terms.MaxAttempts || now >= giveUpAt)
            {
                return new SlaCheck(due, true, null);
            }

            next = Earliest(next, giveUpAt);
        }

        return new SlaCheck(due, false, next);
    }

    private static void Ladder(
        SlaTerms terms,
        SlaDeadline deadline,
        DateTimeOffset mqlAt,
        TimeSpan within,
        DateTimeOffset dueAt,
        DateTimeOffset now,
        List<SlaAlert> due,
        ref DateTimeOffset? next)
    {
        if (now >= dueAt)
        {
            // Once the deadline has passed, a warning that it might be missed is noise: only the breach is raised.
            due.Add(new SlaAlert(deadline, Breach, dueAt, dueAt));
            return;
        }

        foreach (var step in terms.AtRisk)
        {
            var at = terms.Calendar.Add(mqlAt, within * (double)step.Fraction);
            if (at <= now)
            {
                due.Add(new SlaAlert(deadline, step.Level, dueAt, at));
            }
            else
            {
                next = Earliest(next, at);
            }
        }

        next = Earliest(next, dueAt);
    }

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
