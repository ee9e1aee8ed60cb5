using LeadHandoff.Domain.Leads;
using LeadHandoff.Domain.Qualification;

namespace LeadHandoff.Domain.Tests;

public sealed class QualificationStepTests
{
    [Theory]
    [InlineData(LeadStage.Lead, 72, LeadStage.Mql, true)]
    [InlineData(LeadStage.Nurture, 72, LeadStage.Mql, true)]
    [InlineData(LeadStage.Lead, 10, LeadStage.Lead, false)]
    [InlineData(LeadStage.Nurture, 10, LeadStage.Nurture, false)]
    public void Next_LeadMarketingStillOwns_IsEvaluated(LeadStage stage, int score, LeadStage expectedStage, bool handOff)
    {
        var step = QualificationStep.Next(Policies.B2B(), stage, Policies.Facts(Policies.Profile(score: score)));

        Assert.NotNull(step.Decision);
        Assert.Equal(expectedStage, step.Stage);
        Assert.Equal(handOff, step.HandOff);
    }

    [Theory]
    [InlineData(LeadStage.Mql)]
    [InlineData(LeadStage.Sal)]
    [InlineData(LeadStage.Opportunity)]
    [InlineData(LeadStage.Customer)]
    [InlineData(LeadStage.Disqualified)]
    public void Next_LeadAlreadyHandedOverOrClosed_IsNeverHandedOffAgain(LeadStage stage)
    {
        var step = QualificationStep.Next(Policies.B2B(), stage, Policies.Facts(Policies.Profile(score: 100)));

        Assert.Null(step.Decision);
        Assert.Equal(stage, step.Stage);
        Assert.False(step.HandOff);
    }

    [Fact]
    public void Next_BlacklistedLead_MovesToDisqualified()
    {
        var step = QualificationStep.Next(Policies.B2B(), LeadStage.Lead, Policies.Facts(Policies.Profile(email: "x@gmail.com")));

        Assert.Equal(LeadStage.Disqualified, step.Stage);
        Assert.IsType<Disqualified>(step.Decision);
        Assert.False(step.HandOff);
    }
}
