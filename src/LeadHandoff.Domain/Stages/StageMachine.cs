using LeadHandoff.Domain.Leads;
using LeadHandoff.Domain.Sla;

namespace LeadHandoff.Domain.Stages;

/// The sales side of one handoff: its state and the contact attempts made so far.
public sealed record HandoffProgress(HandoffState State, int Attempts)
{
    public static HandoffProgress New { get; } = new(HandoffState.AwaitingAcceptance, 0);

    public bool IsClosed => HandoffStates.IsClosed(State);
}

/// The outcome of applying feedback: either the next progress (with the lead's new stage), or a refusal naming the
/// current stage and why.
public abstract record Transition;

public sealed record Moved(
    HandoffProgress Progress,
    LeadStage From,
    LeadStage To,
    StageOwner Owner,
    bool Accepts,
    bool FirstContact) : Transition
{
    public bool StageChanged => From != To;
}

public sealed record Refused(LeadStage Current, HandoffState State, string Reason) : Transition;

public static class StageMachine
{
    /// Lead → MQL → SAL → Opportunity → Customer; Disqualified and Nurture are where a handoff ends otherwise.
    /// Nothing moves backwards except by a recycle (or a lost deal), which hands the lead back to marketing.
    /// A first contact implies acceptance: a seller who reached the lead has evidently taken it.
    public static Transition Apply(HandoffProgress progress, FeedbackType feedback)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var state = progress.State;
        var from = HandoffStates.Stage(state, GiveUpAction.Recycle);
        if (progress.IsClosed)
        {
            return new Refused(from, state, $"The handoff is closed ({HandoffStates.Name(state)}); no feedback changes it any more.");
        }

        return (state, feedback) switch
        {
            (HandoffState.AwaitingAcceptance, FeedbackType.Accepted) => Move(progress with { State = HandoffState.Accepted }, from, accepts: true),
            (HandoffState.AwaitingAcceptance, FeedbackType.Rejected) => Move(progress with { State = HandoffState.Rejected }, from, accepts: false),
            (HandoffState.AwaitingAcceptance or HandoffState.Accepted, FeedbackType.ContactAttempted) =>
                Move(new HandoffProgress(HandoffState.Accepted, progress.Attempts + 1), from, accepts: state == HandoffState.AwaitingAcceptance),
            (HandoffState.AwaitingAcceptance or HandoffState.Accepted, FeedbackType.Contacted) =>
                Move(new HandoffProgress(HandoffState.Contacted, progress.Attempts + 1), from, accepts: state == HandoffState.AwaitingAcceptance, firstContact: true),
            (HandoffState.Accepted or HandoffState.Contacted, FeedbackType.Opportunity) => Move(progress with { State = HandoffState.Opportunity }, from, accepts: false),
            (HandoffState.Opportunity, FeedbackType.Won) => Move(progress with { State = HandoffState.Won }, from, accepts: false),
            (HandoffState.Accepted or HandoffState.Contacted or HandoffState.Opportunity, FeedbackType.Lost) => Move(progress with { State = HandoffState.Lost }, from, accepts: false),
            (_, FeedbackType.Recycled) => Move(progress with { State = HandoffState.Recycled }, from, accepts: false),
            _ => new Refused(from, state, Explain(state, feedback)),
        };
    }

    /// The give-up rule: the attempts ran out (or their time did) without a contact.
    public static Moved GiveUp(HandoffProgress progress, GiveUpAction action)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var from = HandoffStates.Stage(progress.State, action);
        var to = action == GiveUpAction.Recycle ? LeadStage.Nurture : LeadStage.Disqualified;
        return new Moved(progress with { State = HandoffState.GivenUp }, from, to, StageOwner.Sales, false, false);
    }

    private static Moved Move(HandoffProgress next, LeadStage from, bool accepts, bool firstContact = false)
    {
        var to = HandoffStates.Stage(next.State, GiveUpAction.Recycle);
        var owner = to == LeadStage.Nurture ? StageOwner.Marketing : StageOwner.Sales;
        return new Moved(next, from, to, owner, accepts, firstContact);
    }

    private static string Explain(HandoffState state, FeedbackType feedback) => (state, feedback) switch
    {
        (_, FeedbackType.Accepted) => "The handoff was already accepted.",
        (HandoffState.Contacted, FeedbackType.Contacted or FeedbackType.ContactAttempted) => "The lead was already contacted.",
        (_, FeedbackType.Rejected) => "Only a handoff awaiting acceptance can be rejected; an accepted one is lost or recycled.",
        (_, FeedbackType.Won) => "Only an opportunity can be won.",
        (HandoffState.AwaitingAcceptance, _) => "The handoff has not been accepted yet.",
        _ => $"'{FeedbackTypes.Name(feedback)}' does not follow '{HandoffStates.Name(state)}'; stages only move forward.",
    };
}

public static class HandoffStates
{
    public static bool IsClosed(HandoffState state) =>
        state is HandoffState.Won or HandoffState.Lost or HandoffState.Rejected or HandoffState.Recycled or HandoffState.GivenUp;

    /// The lead's funnel stage while its handoff is in this state.
    public static LeadStage Stage(HandoffState state, GiveUpAction giveUp) => state switch
    {
        HandoffState.AwaitingAcceptance => LeadStage.Mql,
        HandoffState.Accepted or HandoffState.Contacted => LeadStage.Sal,
        HandoffState.Opportunity => LeadStage.Opportunity,
        HandoffState.Won => LeadStage.Customer,
        HandoffState.Rejected => LeadStage.Disqualified,
        HandoffState.Lost or HandoffState.Recycled => LeadStage.Nurture,
        HandoffState.GivenUp => giveUp == GiveUpAction.Recycle ? LeadStage.Nurture : LeadStage.Disqualified,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static string Name(HandoffState state) => state switch
    {
        HandoffState.AwaitingAcceptance => "awaitingAcceptance",
        HandoffState.GivenUp => "givenUp",
        _ => state.ToString().ToLowerInvariant(),
    };
}
