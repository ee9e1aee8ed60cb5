namespace LeadHandoff.Domain.Funnel;

/// Historical stage-to-stage conversion rates, each in (0, 1].
public sealed record ConversionRates(decimal LeadToMql, decimal MqlToSal, decimal SalToOpportunity, decimal OpportunityToSale);

/// What each stage must produce to reach a number of sales.
public sealed record FunnelPlan(int Leads, int Mqls, int Sals, int Opportunities, int Sales);

public static class FunnelPlanner
{
    /// Works backwards from the sales target. Each stage is rounded to the nearest whole count and the stage above is
    /// computed from that rounded count, which is how the playbook's worked example is done: 35 sales at 30 %, 48 %,
    /// 68 % and 20 % need 1,783 leads, 535 MQLs, 257 SALs and 175 opportunities.
    public static FunnelPlan Backwards(int targetSales, ConversionRates rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentOutOfRangeException.ThrowIfNegative(targetSales);
        var opportunities = Round(targetSales / rates.OpportunityToSale);
        var sals = Round(opportunities / rates.SalToOpportunity);
        var mqls = Round(sals / rates.MqlToSal);
        var leads = Round(mqls / rates.LeadToMql);
        return new FunnelPlan(leads, mqls, sals, opportunities, targetSales);
    }

    /// Revenue target ÷ deal value = sales (rounded up: a target is reached, not approached); ÷ win rate = the
    /// qualified leads sales must work.
    public static (int Sales, int QualifiedLeads) FromRevenue(decimal revenueTarget, decimal dealValue, decimal winRate)
    {
        var sales = (int)Math.Ceiling(revenueTarget / dealValue);
        return (sales, Round(sales / winRate));
    }

    /// Every problem at once, keyed by the request field it concerns.
    public static IReadOnlyDictionary<string, string> Validate(ConversionRates rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        Check(errors, "conversionRates.leadToMql", rates.LeadToMql);
        Check(errors, "conversionRates.mqlToSal", rates.MqlToSal);
        Check(errors, "conversionRates.salToOpportunity", rates.SalToOpportunity);
        Check(errors, "conversionRates.opportunityToSale", rates.OpportunityToSale);
        return errors;
    }

    private static void Check(Dictionary<string, string> errors, string field, decimal rate)
    {
        if (rate is <= 0 or > 1)
        {
            errors[field] = "Must be a rate in (0, 1], e.g. 0.3 for 30 %.";
        }
    }

    private static int Round(decimal value) => (int)Math.Round(value, MidpointRounding.AwayFromZero);
}
