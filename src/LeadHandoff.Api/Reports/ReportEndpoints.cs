using System.Globalization;
using System.Text;
using LeadHandoff.Api.Errors;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Policy;
using LeadHandoff.Api.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadHandoff.Api.Reports;

internal static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/reports").WithTags("Reports");
        group.MapGet("/sla", SlaAsync)
            .WithName("GetSlaReport")
            .WithSummary("Per week or month: MQLs delivered vs goal, acceptance rate, time to accept and to first contact (median, p90) vs SLA, breaches, rejection and loss reasons, review flag")
            .WithDescription("format=csv (or Accept: text/csv) returns the same as CSV, one row per period.")
            .ProducesValidationProblem();
        group.MapGet("/funnel", FunnelAsync)
            .WithName("GetFunnelReport")
            .WithSummary("Counts per stage reached in the period and stage-to-stage conversion rates")
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<Results<Ok<SlaReportView>, FileContentHttpResult, ValidationProblem>> SlaAsync(
        DateTimeOffset? from, DateTimeOffset? to, string? bucket, string? format, HttpRequest request,
        LeadHandoffDbContext db, PolicyProvider policies, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var kind = ReportBucket.Month;
        if (bucket is not null && !Enum.TryParse(bucket, ignoreCase: true, out kind))
        {
            errors["bucket"] = ["One of week, month."];
        }

        var (start, end) = Range(from, to, time, errors);
        if (errors.Count == 0 && ReportPeriods.Split(start, end, kind).Count > ReportPeriods.MaxBuckets)
        {
            errors["from"] = [$"The range spans more than {ReportPeriods.MaxBuckets} {kind.ToString().ToLowerInvariant()}s; narrow it or use a larger bucket."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        using var activity = LeadHandoffTelemetry.Source.StartActivity("report sla");
        activity?.SetTag("leadhandoff.report.bucket", kind.ToString());
        var report = await SlaReport.BuildAsync(db, policies.Current.Sla, start, end, kind, cancellationToken);
        return WantsCsv(format, request)
            ? TypedResults.File(Encoding.UTF8.GetBytes(ReportCsv.Sla(report)), "text/csv", "sla-report.csv")
            : TypedResults.Ok(report);
    }

    private static async Task<Results<Ok<FunnelReportView>, FileContentHttpResult, ValidationProblem>> FunnelAsync(
        DateTimeOffset? from, DateTimeOffset? to, string? format, HttpRequest request,
        LeadHandoffDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (start, end) = Range(from, to, time, errors);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        using var activity = LeadHandoffTelemetry.Source.StartActivity("report funnel");
        var report = await FunnelReport.BuildAsync(db, start, end, cancellationToken);
        return WantsCsv(format, request)
            ? TypedResults.File(Encoding.UTF8.GetBytes(ReportCsv.Funnel(report)), "text/csv", "funnel-report.csv")
            : TypedResults.Ok(report);
    }

    /// Defaults: up to now, from the first day of the month two months back (three calendar months).
    private static (DateTime From, DateTime To) Range(DateTimeOffset? from, DateTimeOffset? to, TimeProvider time, Dictionary<string, string[]> errors)
    {
        var end = (to ?? time.GetUtcNow()).UtcDateTime;
        var start = from?.UtcDateTime ?? new DateTime(end.Year, end.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-2);
        if (start >= end)
        {
            errors["from"] = ["Must be before 'to'."];
        }

        return (start, end);
    }

    private static bool WantsCsv(string? format, HttpRequest request) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
        || request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true);
}

internal static class ReportCsv
{
    public static string Sla(SlaReportView report)
    {
        var csv = new StringBuilder();
        csv.AppendLine("period,from,to,mqlsDelivered,mqlGoal,goalMet,accepted,rejected,acceptanceRate,acceptMedianHours,acceptP90Hours,acceptTargetHours,acceptedInTimeRate,firstContactMedianHours,firstContactP90Hours,firstContactTargetHours,contactedInTimeRate,followUpTargetMet,acceptBreaches,firstContactBreaches,recycled,givenUp,rejectionReasons,lossReasons,reviewFlagged");
        foreach (var p in report.Periods)
        {
            Row(
                csv,
                p.Period,
                Iso(p.From),
                Iso(p.To),
                Num(p.MqlsDelivered),
                Num(p.MqlGoal),
                Bool(p.GoalMet),
                Num(p.Accepted),
                Num(p.Rejected),
                Num(p.AcceptanceRate),
                Num(p.TimeToAcceptHours.Median),
                Num(p.TimeToAcceptHours.P90),
                Num(p.TimeToAcceptHours.TargetHours),
                Num(p.TimeToAcceptHours.WithinTargetRate),
                Num(p.TimeToFirstContactHours.Median),
                Num(p.TimeToFirstContactHours.P90),
                Num(p.TimeToFirstContactHours.TargetHours),
                Num(p.TimeToFirstContactHours.WithinTargetRate),
                Bool(p.FollowUpTargetMet),
                Num(p.Breaches.GetValueOrDefault("accept")),
                Num(p.Breaches.GetValueOrDefault("firstContact")),
                Num(p.Recycled),
                Num(p.GivenUp),
                Reasons(p.RejectionReasons),
                Reasons(p.LossReasons),
                Bool(report.Review.Flagged));
        }

        return csv.ToString();
    }

    public static string Funnel(FunnelReportView report)
    {
        var csv = new StringBuilder();
        csv.AppendLine("stage,reached,conversionFromPrevious");
        var c = report.Reached;
        var r = report.ConversionRates;
        Row(csv, "lead", Num(c.Leads), string.Empty);
        Row(csv, "mql", Num(c.Mqls), Num(r.LeadToMql));
        Row(csv, "sal", Num(c.Sals), Num(r.MqlToSal));
        Row(csv, "opportunity", Num(c.Opportunities), Num(r.SalToOpportunity));
        Row(csv, "customer", Num(c.Customers), Num(r.OpportunityToSale));
        Row(csv, "disqualified", Num(c.Disqualified), string.Empty);
        Row(csv, "nurture", Num(c.Nurtured), string.Empty);
        return csv.ToString();
    }

    private static void Row(StringBuilder csv, params string[] cells) => csv.AppendJoin(',', cells.Select(Escape)).Append('\n');

    // RFC 4180 quoting; a leading formula character is neutralised so a spreadsheet never evaluates a reason text.
    private static string Escape(string cell)
    {
        if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            cell = "'" + cell;
        }

        return cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }

    private static string Reasons(IReadOnlyList<ReasonCount> reasons) => string.Join("; ", reasons.Select(r => $"{r.Reason}: {r.Count}"));

    private static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Num(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Num(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
}
