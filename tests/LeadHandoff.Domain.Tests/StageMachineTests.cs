using LeadHandoff.Domain.Leads;
using LeadHandoff.Domain.Sla;
using LeadHandoff.Domain.Stages;

namespace LeadHandoff.Domain.Tests;

public sealed class StageMachineTests
{
    // Every allowed move; every other (state, feedback) pair must be refused.
    private static readonly Dictionary<(HandoffState, FeedbackType), (HandoffState State, LeadStage Stage, StageOwner Owner)> Allowed = new()
    {
        [(HandoffState.AwaitingAcceptance, FeedbackType.Accepted)] = (HandoffState.Accepted, LeadStage.Sal, StageOwner.Sales),
        [(HandoffState.AwaitingAcceptance, FeedbackType.Rejected)] = (HandoffState.Rejected, LeadStage.Disqualified, StageOwner.Sales),
        [(HandoffState.AwaitingAcceptance, FeedbackType.ContactAttempted)] = (HandoffState.Accepted, LeadStage.Sal, StageOwner.Sales),
        [(HandoffState.AwaitingAcceptance, FeedbackType.Contacted)] = (HandoffState.Contacted, LeadStage.Sal, StageOwner.Sales),
        [(HandoffState.AwaitingAcceptance, FeedbackType.Recycled)] = (HandoffState.Recycled, LeadStage.Nurture, StageOwner.Marketing),
        [(HandoffState.Accepted, FeedbackType.ContactAttempted)] = (HandoffState.Accepted, LeadStage.Sal, StageOwner.Sales),
        [(HandoffState.Accepted, FeedbackType.Contacted)] = (HandoffState.Contacted, LeadStage.Sal, StageOwner.Sales),
        [(HandoffState.Accepted, FeedbackType.Opportunity)] = (HandoffState.Opportunity, LeadStage.Opportunity, StageOwner.Sales),
        [(HandoffState.Accepted, FeedbackType.Lost)] = (HandoffState.Lost, LeadStage.Nurture, StageOwner.Marketing),
        [(HandoffState.Accepted, FeedbackType.Recycled)] = (HandoffState.Recycled, LeadStage.Nurture, StageOwner.Marketing),
        [(HandoffState.Contacted, FeedbackType.Opportunity)] = (HandoffState.Opportunity, LeadStage.Opportunity, StageOwner.Sales),
        [(HandoffState.Contacted, FeedbackType.Lost)] = (HandoffState.Lost, LeadStage.Nurture, StageOwner.Marketing),
        [(HandoffState.Contacted, FeedbackType.Recycled)] = (HandoffState.Recycled, LeadStage.Nurture, StageOwner.Marketing),
        [(HandoffState.Opportunity, FeedbackType.Won)] = (HandoffState.Won, LeadStage.Customer, StageOwner.Sales),
        [(HandoffState.Opportunity, FeedbackType.Lost)] = (HandoffState.Lost, LeadStage.Nurture, StageOwner.Marketing),
        [(HandoffState.Opportunity, FeedbackType.Recycled)] = (HandoffState.Recycled, LeadStage.Nurture, StageOwner.Marketing),
    };

    public static TheoryData<HandoffState, FeedbackType> AllowedPairs()
    {
        var data = new TheoryData<HandoffState, FeedbackType>();
        foreach (var (state, feedback) in Allowed.Keys)
        {
            data.Add(state, feedback);
        }

        return data;
    }

    public static TheoryData<HandoffState, FeedbackType> ForbiddenPairs()
    {
        var data = new TheoryData<HandoffState, FeedbackType>();
        foreach (var state in Enum.GetValues<HandoffState>())
        {
            foreach (var feedback in Enum.GetValues<FeedbackType>())
            {
                if (!Allowed.ContainsKey((state, feedback)))
                {
                    data.Add(state, feedback);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void Apply_AllowedFeedback_MovesToTheExpectedStateStageAndOwner(HandoffState state, FeedbackType feedback)
    {
        var expected = Allowed[(state, feedback)];

        var moved = Assert.IsType<Moved>(StageMachine.Apply(new HandoffProgress(state, 1), feedback));

        Assert.Equal(expected.State, moved.Progress.State);
        Assert.Equal(HandoffStates.Stage(state, GiveUpAction.Recycle), moved.From);
        Assert.Equal(expected.Stage, moved.To);
        Assert.Equal(expected.Owner, moved.Owner);
    }

    [Theory]
    [MemberData(nameof(ForbiddenPairs))]
    public void Apply_ForbiddenFeedback_IsRefusedNamingTheCurrentStage(HandoffState state, FeedbackType feedback)
    {
        var refused = Assert.IsType<Refused>(StageMachine.Apply(new HandoffProgress(state, 1), feedback));

        Assert.Equal(state, refused.State);
        Assert.Equal(HandoffStates.Stage(state, GiveUpAction.Recycle), refused.Current);
        Assert.False(string.IsNullOrWhiteSpace(refused.Reason));
    }

    [Theory]
    [InlineData(HandoffState.AwaitingAcceptance, FeedbackType.ContactAttempted, 0, 1, true, false)]
    [InlineData(HandoffState.AwaitingAcceptance, FeedbackType.Contacted, 0, 1, true, true)]
    [InlineData(HandoffState.AwaitingAcceptance, FeedbackType.Accepted, 0, 0, true, false)]
    [InlineData(HandoffState.Accepted, FeedbackType.ContactAttempted, 2, 3, false, false)]
    [InlineData(HandoffState.Accepted, FeedbackType.Contacted, 2, 3, false, true)]
    [InlineData(HandoffState.Contacted, FeedbackType.Opportunity, 3, 3, false, false)]
    public void Apply_ContactFeedback_CountsAttemptsAndMarksAcceptanceAndFirstContact(
        HandoffState state, FeedbackType feedback, int attempts, int expectedAttempts, bool accepts, bool firstContact)
    {
        var moved = Assert.IsType<Moved>(StageMachine.Apply(new HandoffProgress(state, attempts), feedback));

        Assert.Equal(expectedAttempts, moved.Progress.Attempts);
        Assert.Equal(accepts, moved.Accepts);
        Assert.Equal(firstContact, moved.FirstContact);
    }

    [Theory]
    [InlineData(GiveUpAction.Recycle, LeadStage.Nurture)]
    [InlineData(GiveUpAction.Disqualify, LeadStage.Disqualified)]
    public void GiveUp_Action_ClosesTheHandoffIntoTheRuleStage(GiveUpAction action, LeadStage expected)
    {
        var moved = StageMachine.GiveUp(new HandoffProgress(HandoffState.Accepted, 6), action);

        Assert.Equal(HandoffState.GivenUp, moved.Progress.State);
        Assert.Equal(LeadStage.Sal, moved.From);
        Assert.Equal(expected, moved.To);
        Assert.True(moved.Progress.IsClosed);
    }

    [Fact]
    public void Apply_WonOnARejectedHandoff_IsRefusedAsDisqualified()
    {
        var refused = Assert.IsType<Refused>(StageMachine.Apply(new HandoffProgress(HandoffState.Rejected, 0), FeedbackType.Won));

        Assert.Equal(LeadStage.Disqualified, refused.Current);
    }
}
