using System.Globalization;

namespace LeadHandoff.Bench;

internal sealed class Report(
    BenchOptions options,
    Workload workload,
    PhaseResult? warmup,
    PhaseResult result,
    CpuUsage cpu,
    ProcessSampler? sampler,
    BrokerProbe? probe,
    int expectedHandoffs,
    double prepareSeconds,
    double drainSeconds)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private readonly Latencies.Summary _latency = result.FromSchedule.Summarize(Latencies.StopwatchTicksPerMillisecond);
    private readonly Latencies.Summary _service = result.FromSend.Summarize(Latencies.StopwatchTicksPerMillisecond);
    private readonly Latencies.Summary? _endToEnd = probe?.EndToEnd.Summarize(1000);

    private string Mode => options.Rate is { } rate
        ? string.Create(Invariant, $"open loop {rate:F0} events/s (at most {options.Concurrency} connections)")
        : string.Create(Invariant, $"closed loop, concurrency {options.Concurrency}");

    private double AcceptedPerSecond => result.Accepted / result.Elapsed.TotalSeconds;

    public void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var sent = result.SentEvents;
        var abandoned = result.Abandoned > 0
            ? $"; {result.Abandoned:N0} more were never sent: the service fell over {options.RequestTimeout.TotalSeconds:F0} s behind schedule and the run gave up"
            : string.Empty;
        var lines = new List<string>
        {
            $"== {options.Name} (run {workload.RunTag}) ==",
            $"  target              POST {options.Url}v1/webhooks/{options.Source}  {Mode}, batch {options.Batch}",
            $"  workload            {workload.Events:N0} events in {workload.Requests.Count:N0} requests, {workload.Leads:N0} leads ({workload.QualifyingLeads:N0} qualifying), ~{options.BodyBytes:N0} B/event, prepared in {prepareSeconds:F1} s",
            warmup is null
                ? "  warm-up             none"
                : $"  warm-up             {warmup.Workload.Events:N0} events, {warmup.Ok:N0} x 2xx, {warmup.Accepted / warmup.Elapsed.TotalSeconds:N0} events/s (not counted below)",
            $"  sent                {sent:N0} events{abandoned}",
            $"  responses           2xx {result.Ok:N0}   4xx {result.ClientErrors:N0} (429: {result.RateLimited:N0})   5xx {result.ServerErrors:N0}   errors {result.Failures:N0}",
            $"  accepted            {result.Accepted:N0} events ({result.Duplicates:N0} duplicates) in {result.Elapsed.TotalSeconds:F2} s = {AcceptedPerSecond:N0} accepted events/s",
            $"  latency ms          p50 {_latency.P50:F2}  p90 {_latency.P90:F2}  p99 {_latency.P99:F2}  max {_latency.Max:F2}   (2xx, {(options.Rate is null ? "request sent -> response read" : "due time -> response read")})",
        };
        if (options.Rate is not null)
        {
            lines.Add($"  from dispatch ms    p50 {_service.P50:F2}  p90 {_service.P90:F2}  p99 {_service.P99:F2}  max {_service.Max:F2}   (handed to HttpClient -> response read, including any wait for one of the {options.Concurrency} connections; max dispatch lag {result.MaxDispatchLagMs:F1} ms)");
        }

        lines.Add($"  accepted/s timeline {Timeline(result.AcceptedPerSecond)}");
        lines.Add($"  cpu (measured)      {cpu}");
        lines.Add(sampler is null
            ? "  service memory      not sampled (no --pid)"
            : $"  service memory      peak RSS {sampler.PeakRssMb:F1} MB, at end {sampler.LastRssMb:F1} MB (pid {sampler.Pid}, sampled every 100 ms)");
        if (probe is not null && _endToEnd is not null)
        {
            lines.Add($"  broker handoffs     expected {expectedHandoffs:N0}  received {probe.Received:N0}  duplicates {probe.Duplicates:N0}  other messages {probe.Other:N0}  (waited {drainSeconds:F1} s after the last response)");
            lines.Add($"  webhook->broker ms  p50 {_endToEnd.P50:F1}  p90 {_endToEnd.P90:F1}  p99 {_endToEnd.P99:F1}  max {_endToEnd.Max:F1}");
            lines.Add($"    sent->qualified   {Brief(probe.SentToQualified)}   (service's batch clock)");
            lines.Add($"    qualified->sent   {Brief(probe.QualifiedToPublished)}   (commit + outbox claim + publish; envelope sentTime)");
            lines.Add($"    sent->received    {Brief(probe.PublishedToReceived)}   (broker + this consumer)");
        }
        else
        {
            lines.Add($"  broker handoffs     not observed (no --rabbitmq); {expectedHandoffs:N0} expected");
        }

        foreach (var sample in result.Samples)
        {
            lines.Add($"  sample failure      {sample}");
        }

        foreach (var line in lines)
        {
            output.WriteLine(line);
        }
    }

    public static string SummaryHeader =>
        "scenario\tmode\tevents\t2xx\tnon-2xx\taccepted/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\tpeak RSS MB\tsvc CPU%\tbench CPU%\tdb+broker CPU%\tother CPU%\thandoffs exp/recv\tw->b p50 ms\tw->b p99 ms";

    public string SummaryLine()
    {
        var mode = options.Rate is { } rate
            ? string.Create(Invariant, $"open {rate:F0}/s")
            : string.Create(Invariant, $"closed c={options.Concurrency}");
        var handoffs = probe is null ? "-" : string.Create(Invariant, $"{expectedHandoffs}/{probe.Received}");
        return string.Join('\t',
            options.Name,
            options.Batch > 1 ? string.Create(Invariant, $"{mode} b={options.Batch}") : mode,
            result.SentEvents.ToString(Invariant),
            result.Ok.ToString(Invariant),
            (result.ClientErrors + result.ServerErrors + result.Failures).ToString(Invariant),
            AcceptedPerSecond.ToString("F0", Invariant),
            _latency.P50.ToString("F1", Invariant),
            _latency.P90.ToString("F1", Invariant),
            _latency.P99.ToString("F1", Invariant),
            _latency.Max.ToString("F1", Invariant),
            sampler is null ? "-" : sampler.PeakRssMb.ToString("F0", Invariant),
            double.IsNaN(cpu.ServicePercentOfCore) ? "-" : cpu.ServicePercentOfCore.ToString("F0", Invariant),
            cpu.ClientPercentOfCore.ToString("F0", Invariant),
            double.IsNaN(cpu.InfraPercentOfCore) ? "-" : cpu.InfraPercentOfCore.ToString("F0", Invariant),
            cpu.OtherPercentOfCore.ToString("F0", Invariant),
            handoffs,
            _endToEnd is null ? "-" : _endToEnd.P50.ToString("F1", Invariant),
            _endToEnd is null ? "-" : _endToEnd.P99.ToString("F1", Invariant));
    }

    /// Each second's count when the phase is short; otherwise the average rate of up to 15 equal windows.
    private static string Timeline(IReadOnlyList<long> perSecond)
    {
        if (perSecond.Count <= 20)
        {
            return string.Join(' ', perSecond.Select(n => n.ToString(Invariant))) + "  (per second)";
        }

        var width = (int)Math.Ceiling(perSecond.Count / 15.0);
        var windows = perSecond.Chunk(width).Select(w => (w.Sum() / (double)w.Length).ToString("F0", Invariant));
        return string.Join(' ', windows) + string.Create(Invariant, $"  (mean of each {width} s)");
    }

    private static string Brief(Latencies latencies)
    {
        var s = latencies.Summarize(1000);
        return string.Create(Invariant, $"p50 {s.P50,7:F1}  p99 {s.P99,7:F1}  max {s.Max,7:F1} ms");
    }
}
