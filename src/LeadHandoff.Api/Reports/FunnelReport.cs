using LeadHandoff.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Reports;

internal sealed record FunnelCounts(int Leads, int Mqls, int Sals, int Opportunities, int Customers, int Disqualified, int Nurtured);

internal sealed record FunnelRates(decimal? LeadToMql, decimal? MqlToSal, decimal? SalToOpportunity, decimal? OpportunityToSale);

internal sealed record FunnelReportView(DateTimeOffset From, DateTimeOffset To, FunnelCounts Reached, FunnelRates ConversionRates, IReadOnlyDictionary<string, int> CurrentStages);

/// What the funnel produced in a period: leads created, handoffs (MQLs), acceptances (SALs), and the later stages
/// as recorded by the stage machine; the rates are each stage over the one before.
internal static class FunnelReport
{
    public static async Task<FunnelReportView> BuildAsync(LeadHandoffDbContext db, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var counts = await CountsAsync(db, from, to, cancellationToken);
        var stages = await db.Leads.AsNoTracking()
            .Where(l => l.MergedIntoId == null)
            .GroupBy(l => l.Stage)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, StringComparer.Ordinal, cancellationToken);
        return new FunnelReportView(from, to, counts, Rates(counts), stages);
    }

    public static async Task<FunnelCounts> CountsAsync(LeadHandoffDbContext db, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var leads = await db.Leads.AsNoTracking().CountAsync(l => l.CreatedAt >= from && l.CreatedAt < to && l.MergedIntoId == null, cancellationToken);
        var mqls = await db.Handoffs.AsNoTracking().CountAsync(h => h.CreatedAt >= from && h.CreatedAt < to, cancellationToken);
        var sals = await db.Handoffs.AsNoTracking().CountAsync(h => h.AcceptedAt >= from && h.AcceptedAt < to, cancellationToken);
        var reached = await db.StageTransitions.AsNoTracking()
            .Where(t => t.At >= from && t.At < to && t.FromStage != t.ToStage)
            .GroupBy(t => t.ToStage)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, StringComparer.Ordinal, cancellationToken);
        return new FunnelCounts(
            leads,
            mqls,
            sals,
            reached.GetValueOrDefault("opportunity"),
            reached.GetValueOrDefault("customer"),
            reached.GetValueOrDefault("disqualified"),
            reached.GetValueOrDefault("nurture"));
    }

    public static FunnelRates Rates(FunnelCounts c) => new(
        SlaReport.Rate(c.Mqls, c.Leads),
        SlaReport.Rate(c.Sals, c.Mqls),
        SlaReport.Rate(c.Opportunities, c.Sals),
        SlaReport.Rate(c.Customers, c.Opportunities));
}
