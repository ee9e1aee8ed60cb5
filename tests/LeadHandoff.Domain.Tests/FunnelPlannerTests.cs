using LeadHandoff.Domain.Funnel;

namespace LeadHandoff.Domain.Tests;

public sealed class FunnelPlannerTests
{
    private static readonly ConversionRates Playbook = new(0.30m, 0.48m, 0.68m, 0.20m);

    [Fact]
    public void Backwards_PlaybookWorkedExample_ReproducesEveryStageExactly()
    {
        var plan = FunnelPlanner.Backwards(35, Playbook);
        Assert.Equal(new FunnelPlan(1783, 535, 257, 175, 35), plan);
    }

    [Theory]
    [InlineData(0, 0, 0, 0, 0)]
    [InlineData(1, 50, 15, 7, 5)]
    [InlineData(10, 513, 154, 74, 50)]
    public void Backwards_EachStage_IsRoundedBeforeTheStageAboveIsComputed(int sales, int leads, int mqls, int sals, int opportunities)
    {
        var plan = FunnelPlanner.Backwards(sales, Playbook);
        Assert.Equal(new FunnelPlan(leads, mqls, sals, opportunities, sales), plan);
    }

    [Fact]
    public void Backwards_MonthOfTheExample_RatesFromItsOwnCountsGiveItsCountsBack()
    {
        // 500 leads → 150 MQL → 73 SAL → 50 opportunities → 10 sales.
        var rates = new ConversionRates(150m / 500, 73m / 150, 50m / 73, 10m / 50);
        Assert.Equal(new FunnelPlan(500, 150, 73, 50, 10), FunnelPlanner.Backwards(10, rates));
    }

    [Theory]
    [InlineData(5000, 100, 0.5, 50, 100)]
    [InlineData(5050, 100, 0.5, 51, 102)]
    [InlineData(1000, 300, 0.25, 4, 16)]
    public void FromRevenue_TargetDealValueAndWinRate_GiveSalesAndQualifiedLeads(int revenue, int dealValue, double winRate, int sales, int qualified)
    {
        var result = FunnelPlanner.FromRevenue(revenue, dealValue, (decimal)winRate);
        Assert.Equal((sales, qualified), result);
    }

    [Fact]
    public void Validate_RatesOutsideTheUnitInterval_NameEachField()
    {
        var errors = FunnelPlanner.Validate(new ConversionRates(0m, 1m, 1.2m, -0.1m));

        Assert.Equal(["conversionRates.leadToMql", "conversionRates.opportunityToSale", "conversionRates.salToOpportunity"], errors.Keys.Order().ToArray());
    }
}
