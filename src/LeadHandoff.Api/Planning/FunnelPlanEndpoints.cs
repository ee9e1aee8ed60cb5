using LeadHandoff.Api.Errors;
using LeadHandoff.Domain.Funnel;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadHandoff.Api.Planning;

internal sealed record RatesBody(decimal? LeadToMql, decimal? MqlToSal, decimal? SalToOpportunity, decimal? OpportunityToSale);

internal sealed record PeriodBody(DateTimeOffset? From, DateTimeOffset? To);

/// Either a sales target with conversion rates, or a revenue target with deal value and win rate (optionally with
/// rates, to plan every stage). Rates measured from history (<see cref="BasedOn"/>) come with the funnel reports.
internal sealed record FunnelPlanBody(
    int? TargetSales,
    RatesBody? ConversionRates,
    decimal? RevenueTarget,
    decimal? DealValue,
    decimal? WinRate,
    PeriodBody? BasedOn);

internal sealed record FunnelPlanView(int Sales, int? Opportunities, int? Sals, int? Mqls, int? Leads, int? QualifiedLeads, string Basis);

internal static class FunnelPlanEndpoints
{
    public static IEndpointRouteBuilder MapFunnelPlanning(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/plan").WithTags("Planning")
            .MapPost("/funnel", Plan)
            .WithName("PlanFunnel")
            .WithSummary("Work backwards from a sales or revenue target to what each funnel stage must produce")
            .ProducesValidationProblem();
        return app;
    }

    private static Results<Ok<FunnelPlanView>, ValidationProblem> Plan(FunnelPlanBody body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.BasedOn is not null)
        {
            errors["basedOn"] = ["Rates measured from history are not available yet; send conversionRates."];
        }

        var byRevenue = body.RevenueTarget is not null || body.DealValue is not null || body.WinRate is not null;
        if (byRevenue == (body.TargetSales is not null))
        {
            errors["targetSales"] = ["Send either targetSales, or revenueTarget with dealValue and winRate."];
        }

        if (body.TargetSales is < 0)
        {
            errors["targetSales"] = ["Must not be negative."];
        }

        if (byRevenue)
        {
            Require(errors, "revenueTarget", body.RevenueTarget, v => v >= 0, "Required, not negative.");
            Require(errors, "dealValue", body.DealValue, v => v > 0, "Required, greater than zero.");
            Require(errors, "winRate", body.WinRate, v => v is > 0 and <= 1, "Required, a rate in (0, 1].");
        }

        ConversionRates? rates = null;
        if (body.ConversionRates is { } given)
        {
            rates = new ConversionRates(given.LeadToMql ?? 0, given.MqlToSal ?? 0, given.SalToOpportunity ?? 0, given.OpportunityToSale ?? 0);
            foreach (var (field, message) in FunnelPlanner.Validate(rates))
            {
                errors[field] = [message];
            }
        }
        else if (!byRevenue)
        {
            errors["conversionRates"] = ["Required with targetSales: leadToMql, mqlToSal, salToOpportunity, opportunityToSale."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Nothing was planned.");
        }

        if (!byRevenue)
        {
            var plan = FunnelPlanner.Backwards(body.TargetSales!.Value, rates!);
            return TypedResults.Ok(new FunnelPlanView(plan.Sales, plan.Opportunities, plan.Sals, plan.Mqls, plan.Leads, null, "targetSales"));
        }

        var (sales, qualified) = FunnelPlanner.FromRevenue(body.RevenueTarget!.Value, body.DealValue!.Value, body.WinRate!.Value);
        if (rates is null)
        {
            return TypedResults.Ok(new FunnelPlanView(sales, null, null, null, null, qualified, "revenueTarget"));
        }

        var full = FunnelPlanner.Backwards(sales, rates);
        return TypedResults.Ok(new FunnelPlanView(full.Sales, full.Opportunities, full.Sals, full.Mqls, full.Leads, qualified, "revenueTarget"));
    }

    private static void Require(Dictionary<string, string[]> errors, string field, decimal? value, Func<decimal, bool> valid, string message)
    {
        if (value is not { } v || !valid(v))
        {
            errors[field] = [message];
        }
    }
}
