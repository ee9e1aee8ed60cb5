using System.Globalization;

namespace LeadHandoff.Api.Reports;

internal enum ReportBucket
{
    Week,
    Month,
}

/// One bucket of a report: [Start, End) in UTC, with its label (<c>2026-11</c>, <c>2026-W48</c>).
internal sealed record ReportPeriod(string Label, DateTime Start, DateTime End);

internal static class ReportPeriods
{
    public const int MaxBuckets = 120;

    /// Calendar months or ISO weeks (Monday to Monday, UTC) covering [from, to), each clipped to the range.
    public static List<ReportPeriod> Split(DateTime from, DateTime to, ReportBucket bucket)
    {
        var periods = new List<ReportPeriod>();
        var start = bucket == ReportBucket.Month
            ? new DateTime(from.Year, from.Month, 1, 0, 0, 0, DateTimeKind.Utc)
            : from.Date.AddDays(-(((int)from.DayOfWeek + 6) % 7));
        while (start < to && periods.Count <= MaxBuckets)
        {
            var end = bucket == ReportBucket.Month ? start.AddMonths(1) : start.AddDays(7);
            periods.Add(new ReportPeriod(Label(start, bucket), start < from ? from : start, end > to ? to : end));
            start = end;
        }

        return periods;
    }

    public static string Label(DateTime start, ReportBucket bucket) => bucket == ReportBucket.Month
        ? start.ToString("yyyy-MM", CultureInfo.InvariantCulture)
        : $"{ISOWeek.GetYear(start)}-W{ISOWeek.GetWeekOfYear(start):00}";

    /// The calendar months ending with the one that holds the last instant before <paramref name="to"/>.
    public static List<ReportPeriod> MonthsEndingAt(DateTime to, int count)
    {
        var last = to.AddTicks(-1);
        var first = new DateTime(last.Year, last.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1 - count);
        return Enumerable.Range(0, count)
            .Select(i => first.AddMonths(i))
            .Select(m => new ReportPeriod(Label(m, ReportBucket.Month), m, m.AddMonths(1)))
            .ToList();
    }
}
