using LeadHandoff.Api.Errors;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Reports;
using LeadHandoff.Domain.Funnel;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadHandoff.Api.Planning;

internal sealed record RatesBody(decimal? LeadToMql, decimal? MqlToSal, decimal? SalToOpportunity, decimal? OpportunityToSale);

internal sealed record PeriodBody(DateTimeOffset? From, DateTimeOffset? To);

/// Either a sales target with conversion rates, or a revenue target with deal value and win rate (optionally with
/// rates, to plan every stage). With <see cref="BasedOn"/> instead of rates, the rates are measured from that period.
internal sealed record FunnelPlanBody(
    int? TargetSales,
    RatesBody? ConversionRates,
    decimal? RevenueTarget,
    decimal? DealValue,
    decimal? WinRate,
    PeriodBody? BasedOn);

internal sealed record FunnelPlanView(int Sales, int? Opportunities, int? Sals, int? Mqls, int? Leads, int? QualifiedLeads, string Basis)
{
    /// The rates the plan used: as given, or as measured from history.
    public RatesBody? ConversionRates { get; init; }

    public Feasibility? Feasibility { get; init; }
}

/// The playbook's reality check: how many times the last comparable period's actual volumes the plan needs.
internal sealed record Feasibility(DateTimeOffset From, DateTimeOffset To, int ActualLeads, int ActualMqls, decimal? LeadsMultiple, decimal? MqlsMultiple);

internal static class FunnelPlanEndpoints
{
    public static IEndpointRouteBuilder MapFunnelPlanning(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/plan").WithTags("Planning")
            .MapPost("/funnel", PlanAsync)
            .WithName("PlanFunnel")
            .WithSummary("Work backwards from a sales or revenue target to what each funnel stage must produce")
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<Results<Ok<FunnelPlanView>, ValidationProblem>> PlanAsync(
        FunnelPlanBody body, LeadHandoffDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var history = await HistoryAsync(body, db, errors, cancellationToken);

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
        if (body.ConversionRates is not null && body.BasedOn is not null)
        {
            errors["basedOn"] = ["Send either conversionRates or basedOn, not both."];
        }
        else if (history is { } measured)
        {
            rates = Measured(measured, errors);
        }
        else if (body.ConversionRates is { } given)
        {
            rates = new ConversionRates(given.LeadToMql ?? 0, given.MqlToSal ?? 0, given.SalToOpportunity ?? 0, given.OpportunityToSale ?? 0);
            foreach (var (field, message) in FunnelPlanner.Validate(rates))
            {
                errors[field] = [message];
            }
        }
        else if (!byRevenue && body.BasedOn is null)
        {
            errors["conversionRates"] = ["Required with targetSales (or basedOn): leadToMql, mqlToSal, salToOpportunity, opportunityToSale."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Nothing was planned.");
        }

        var feasibility = await FeasibilityAsync(history, db, time, cancellationToken);
        var used = rates is null ? null : new RatesBody(rates.LeadToMql, rates.MqlToSal, rates.SalToOpportunity, rates.OpportunityToSale);
        if (!byRevenue)
        {
            var plan = FunnelPlanner.Backwards(body.TargetSales!.Value, rates!);
            return TypedResults.Ok(new FunnelPlanView(plan.Sales, plan.Opportunities, plan.Sals, plan.Mqls, plan.Leads, null, "targetSales")
            {
                ConversionRates = used,
                Feasibility = feasibility(plan.Leads, plan.Mqls),
            });
        }

        var (sales, qualified) = FunnelPlanner.FromRevenue(body.RevenueTarget!.Value, body.DealValue!.Value, body.WinRate!.Value);
        if (rates is null)
        {
            return TypedResults.Ok(new FunnelPlanView(sales, null, null, null, null, qualified, "revenueTarget") { Feasibility = feasibility(null, qualified) });
        }

        var full = FunnelPlanner.Backwards(sales, rates);
        return TypedResults.Ok(new FunnelPlanView(full.Sales, full.Opportunities, full.Sals, full.Mqls, full.Leads, qualified, "revenueTarget")
        {
            ConversionRates = used,
            Feasibility = feasibility(full.Leads, full.Mqls),
        });
    }

    private sealed record History(DateTime From, DateTime To, FunnelCounts Counts);

    private static async Task<History?> HistoryAsync(FunnelPlanBody body, LeadHandoffDbContext db, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (body.BasedOn is not { } period)
        {
            return null;
        }

        if (period.From is null)
        {
            errors["basedOn.from"] = ["Required: the start of the period to measure the rates on."];
        }

        if (period.To is null)
        {
            errors["basedOn.to"] = ["Required: the end of the period to measure the rates on."];
        }
        else if (period.From >= period.To)
        {
            errors["basedOn.to"] = ["Must be after basedOn.from."];
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var (from, to) = (period.From!.Value.UtcDateTime, period.To!.Value.UtcDateTime);
        return new History(from, to, await FunnelReport.CountsAsync(db, from, to, cancellationToken));
    }

    private static ConversionRates? Measured(History history, Dictionary<string, string[]> errors)
    {
        var measured = FunnelReport.Rates(history.Counts);
        var rates = new ConversionRates(measured.LeadToMql ?? 0, measured.MqlToSal ?? 0, measured.SalToOpportunity ?? 0, measured.OpportunityToSale ?? 0);
        foreach (var (field, _) in FunnelPlanner.Validate(rates))
        {
            errors["basedOn"] = [$"The period has too little history to measure {field["conversionRates.".Length..]} (a stage with no volume); send conversionRates or widen the period."];
        }

        return errors.Count > 0 ? null : rates;
    }

    /// Against the basedOn period, or else the last full calendar month.
    private static async Task<Func<int?, int?, Feasibility>> FeasibilityAsync(
        History? history, LeadHandoffDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (history is null)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var to = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
            var from = to.AddMonths(-1);
            history = new History(from, to, await FunnelReport.CountsAsync(db, from, to, cancellationToken));
        }

        var counts = history.Counts;
        return (leads, mqls) => new Feasibility(history.From, history.To, counts.Leads, counts.Mqls, Multiple(leads, counts.Leads), Multiple(mqls, counts.Mqls));
    }

    private static decimal? Multiple(int? needed, int actual) => needed is { } n && actual > 0 ? Math.Round((decimal)n / actual, 2) : null;

    private static void Require(Dictionary<string, string[]> errors, string field, decimal? value, Func<decimal, bool> valid, string message)
    {
        if (value is not { } v || !valid(v))
        {
            errors[field] = [message];
        }
    }
}
