using LeadHandoff.Api.Persistence;
using LeadHandoff.Domain.Sla;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Reports;

internal sealed record DurationStats(int Count, double? Median, double? P90, double TargetHours, int WithinTarget, decimal? WithinTargetRate);

internal sealed record ReasonCount(string Reason, int Count);

internal sealed record SlaPeriodView(
    string Period,
    DateTimeOffset From,
    DateTimeOffset To,
    int MqlsDelivered,
    int MqlGoal,
    bool GoalMet,
    int Accepted,
    int Rejected,
    decimal? AcceptanceRate,
    DurationStats TimeToAcceptHours,
    DurationStats TimeToFirstContactHours,
    bool FollowUpTargetMet,
    IReadOnlyDictionary<string, int> Breaches,
    int Recycled,
    int GivenUp,
    IReadOnlyList<ReasonCount> RejectionReasons,
    IReadOnlyList<ReasonCount> LossReasons);

internal sealed record ReviewMonth(string Month, int MqlsDelivered, bool GoalMet, decimal? FollowUpRate, bool FollowUpTargetMet);

internal sealed record ReviewView(bool Flagged, int AfterMonths, string? Reason, IReadOnlyList<ReviewMonth> Months);

internal sealed record SlaReportView(DateTimeOffset From, DateTimeOffset To, string Bucket, decimal FollowUpTarget, IReadOnlyList<SlaPeriodView> Periods, ReviewView Review);

/// The SLA report, computed by the database: per bucket a handful of aggregate queries over indexed ranges
/// (counts, grouped counts, and two ordered single-row reads per percentile), never a scan into memory.
internal static class SlaReport
{
    private const int TopReasons = 10;

    public static async Task<SlaReportView> BuildAsync(LeadHandoffDbContext db, SlaTerms terms, DateTime from, DateTime to, ReportBucket bucket, CancellationToken cancellationToken)
    {
        // Monthly reports and the review usually look at the same months: each month is counted once.
        var counted = new Dictionary<(DateTime, DateTime), Counts>();
        var periods = new List<SlaPeriodView>();
        foreach (var period in ReportPeriods.Split(from, to, bucket))
        {
            periods.Add(await PeriodAsync(db, terms, period, bucket, counted, cancellationToken));
        }

        return new SlaReportView(from, to, bucket.ToString().ToLowerInvariant(), terms.FollowUpTarget, periods, await ReviewAsync(db, terms, to, counted, cancellationToken));
    }

    /// The agreement is flagged when the MQL goal or the follow-up target was missed in each of the last N months.
    private static async Task<ReviewView> ReviewAsync(
        LeadHandoffDbContext db, SlaTerms terms, DateTime to, Dictionary<(DateTime, DateTime), Counts> counted, CancellationToken cancellationToken)
    {
        var months = new List<ReviewMonth>();
        foreach (var month in ReportPeriods.MonthsEndingAt(to, terms.ReviewAfterMonths))
        {
            var counts = await CountsAsync(db, terms, month, counted, cancellationToken);
            var followUp = Rate(counts.ContactedInTime, counts.Delivered);
            months.Add(new ReviewMonth(month.Label, counts.Delivered, counts.Delivered >= terms.MonthlyMqlGoal, followUp, followUp >= terms.FollowUpTarget));
        }

        var goalMissed = months.All(m => !m.GoalMet);
        var followUpMissed = months.All(m => !m.FollowUpTargetMet);
        var reason = (goalMissed, followUpMissed) switch
        {
            (true, true) => $"The MQL goal and the follow-up target were missed {months.Count} months in a row.",
            (true, false) => $"The MQL goal was missed {months.Count} months in a row.",
            (false, true) => $"The follow-up target was missed {months.Count} months in a row.",
            _ => null,
        };
        return new ReviewView(reason is not null, terms.ReviewAfterMonths, reason, months);
    }

    private static async Task<SlaPeriodView> PeriodAsync(
        LeadHandoffDbContext db, SlaTerms terms, ReportPeriod period, ReportBucket bucket, Dictionary<(DateTime, DateTime), Counts> counted, CancellationToken cancellationToken)
    {
        var (start, end) = (period.Start, period.End);
        var counts = await CountsAsync(db, terms, period, counted, cancellationToken);
        var inPeriod = db.Handoffs.AsNoTracking().Where(h => h.CreatedAt >= start && h.CreatedAt < end);
        var acceptHours = inPeriod.Where(h => h.AcceptHours != null).Select(h => h.AcceptHours!.Value);
        var contactHours = inPeriod.Where(h => h.FirstContactHours != null).Select(h => h.FirstContactHours!.Value);

        var breaches = await db.SlaAlerts.AsNoTracking()
            .Where(a => a.Kind == SlaWatch.Breach && a.DueAt >= start && a.DueAt < end)
            .GroupBy(a => a.Deadline)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, StringComparer.Ordinal, cancellationToken);
        var steps = await db.StageTransitions.AsNoTracking()
            .Where(t => t.At >= start && t.At < end && (t.ToStage == "nurture" || t.Cause == "giveUp"))
            .GroupBy(t => new { t.ToStage, t.Cause })
            .Select(g => new { g.Key.ToStage, g.Key.Cause, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var reasons = await db.SalesFeedback.AsNoTracking()
            .Where(f => f.At >= start && f.At < end && (f.Type == "rejected" || f.Type == "lost"))
            .GroupBy(f => new { f.Type, f.Reason })
            .Select(g => new { g.Key.Type, g.Key.Reason, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var goal = bucket == ReportBucket.Month ? terms.MonthlyMqlGoal : (int)Math.Round(terms.MonthlyMqlGoal * 12m / 52m, MidpointRounding.AwayFromZero);
        var accept = await StatsAsync(acceptHours, counts.Accepted, terms.AcceptWithin.TotalHours, counts.AcceptedInTime, counts.Delivered, cancellationToken);
        var contact = await StatsAsync(contactHours, counts.Contacted, terms.FirstContactWithin.TotalHours, counts.ContactedInTime, counts.Delivered, cancellationToken);
        return new SlaPeriodView(
            period.Label,
            period.Start,
            period.End,
            counts.Delivered,
            goal,
            counts.Delivered >= goal,
            counts.Accepted,
            counts.Rejected,
            Rate(counts.Accepted, counts.Delivered),
            accept,
            contact,
            contact.WithinTargetRate >= terms.FollowUpTarget,
            breaches,
            steps.Where(s => s.ToStage == "nurture").Sum(s => s.Count),
            steps.Where(s => s.Cause == "giveUp").Sum(s => s.Count),
            Ranked(reasons.Where(r => r.Type == "rejected").Select(r => new ReasonCount(r.Reason ?? "(none)", r.Count))),
            Ranked(reasons.Where(r => r.Type == "lost").Select(r => new ReasonCount(r.Reason ?? "(none)", r.Count))));
    }

    private sealed record Counts(int Delivered, int Accepted, int Rejected, int Contacted, int AcceptedInTime, int ContactedInTime);

    private static async Task<Counts> CountsAsync(
        LeadHandoffDbContext db, SlaTerms terms, ReportPeriod period, Dictionary<(DateTime, DateTime), Counts> counted, CancellationToken cancellationToken)
    {
        var (start, end) = (period.Start, period.End);
        if (counted.TryGetValue((start, end), out var known))
        {
            return known;
        }

        var acceptTarget = terms.AcceptWithin.TotalHours;
        var contactTarget = terms.FirstContactWithin.TotalHours;
        var row = await db.Handoffs.AsNoTracking()
            .Where(h => h.CreatedAt >= start && h.CreatedAt < end)
            .GroupBy(_ => 1)
            .Select(g => new Counts(
                g.Count(),
                g.Count(h => h.AcceptHours != null),
                g.Count(h => h.SalesState == "rejected"),
                g.Count(h => h.FirstContactHours != null),
                g.Count(h => h.AcceptHours != null && h.AcceptHours <= acceptTarget),
                g.Count(h => h.FirstContactHours != null && h.FirstContactHours <= contactTarget)))
            .FirstOrDefaultAsync(cancellationToken);
        return counted[(start, end)] = row ?? new Counts(0, 0, 0, 0, 0, 0);
    }

    /// Nearest-rank percentiles: the value at rank ⌈p·n⌉ of the ordered durations, read as one row each.
    private static async Task<DurationStats> StatsAsync(IQueryable<double> values, int count, double target, int withinTarget, int delivered, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return new DurationStats(0, null, null, target, 0, Rate(withinTarget, delivered));
        }

        var ordered = values.OrderBy(v => v);
        var median = await ordered.Skip(Rank(0.5, count)).FirstAsync(cancellationToken);
        var p90 = await ordered.Skip(Rank(0.9, count)).FirstAsync(cancellationToken);
        return new DurationStats(count, Math.Round(median, 2), Math.Round(p90, 2), target, withinTarget, Rate(withinTarget, delivered));
    }

    private static int Rank(double p, int count) => Math.Max(0, (int)Math.Ceiling(p * count) - 1);

    private static List<ReasonCount> Ranked(IEnumerable<ReasonCount> reasons) =>
        reasons.OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal).Take(TopReasons).ToList();

    public static decimal? Rate(int part, int whole) => whole == 0 ? null : Math.Round((decimal)part / whole, 4);
}
