using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace LeadHandoff.Bench;

/// One benchmark run: prepare bodies, start the broker probe and the /proc sampler, warm up, run the measured
/// phase, wait for the handoffs, report.
internal static class Bench
{
    /// Open loop: requests beyond this many in flight wait for one to finish (their wait counts in the latency).
    private const int MaxInFlightOpenLoop = 4096;

    public static async Task<int> RunAsync(BenchOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = options.RequestTimeout };
        var endpoint = new Uri(options.Url, $"/v1/webhooks/{Uri.EscapeDataString(options.Source)}");

        if (!await IsReadyAsync(http, new Uri(options.Url, "/health/ready"), cancellationToken))
        {
            await Console.Error.WriteLineAsync($"The service at {options.Url} is not ready (GET /health/ready did not answer 200).");
            return 1;
        }

        var runTag = Workload.NewRunTag();
        var occurredAt = time.GetUtcNow();
        var prepareStarted = Stopwatch.GetTimestamp();
        var workload = Workload.Build(runTag, options.Events, options.Leads, options.Qualifying, options.Batch, options.BodyBytes, occurredAt);
        var warmup = options.Warmup > 0
            ? Workload.Build(runTag + "w", options.Warmup, Math.Max(1, (int)((long)options.Warmup * options.Leads / options.Events)), options.Qualifying, options.Batch, options.BodyBytes, occurredAt)
            : null;
        var prepareSeconds = Stopwatch.GetElapsedTime(prepareStarted).TotalSeconds;

        await using var probe = options.RabbitMq is { } rabbit
            ? await BrokerProbe.StartAsync(rabbit, workload.QualifyingLeads, time, cancellationToken)
            : null;
        await using var sampler = options.Pid is { } pid ? new ProcessSampler(pid, time) : null;
        sampler?.Start();

        var signer = new WebhookSigner(options.Secret!);
        var runner = new LoadRunner(http, endpoint, signer, time);
        PhaseResult? warm = null;
        if (warmup is not null)
        {
            warm = await runner.RunClosedAsync(warmup, options.Concurrency, cancellationToken);
        }

        probe?.Measure(runTag);
        var cpu = CpuSnapshot.Take(options.Pid, options.InfraPids);
        var result = options.Rate is { } rate
            ? await runner.RunOpenAsync(workload, rate, options.Batch, MaxInFlightOpenLoop, options.RequestTimeout, cancellationToken)
            : await runner.RunClosedAsync(workload, options.Concurrency, cancellationToken);
        var usage = CpuSnapshot.Take(options.Pid, options.InfraPids).Since(cpu);

        var expected = result.ExpectedHandoffs();
        var drainStarted = Stopwatch.GetTimestamp();
        if (probe is not null)
        {
            await probe.WaitForAsync(expected, options.BrokerTimeout, cancellationToken);
        }

        var drainSeconds = Stopwatch.GetElapsedTime(drainStarted).TotalSeconds;
        var report = new Report(options, workload, warm, result, usage, sampler, probe, expected, prepareSeconds, drainSeconds);
        report.Print(Console.Out);
        if (options.SummaryFile is { } file)
        {
            var header = File.Exists(file) && new FileInfo(file).Length > 0 ? string.Empty : Report.SummaryHeader + "\n";
            await File.AppendAllTextAsync(file, header + report.SummaryLine() + "\n", cancellationToken);
        }

        return 0;
    }

    private static async Task<bool> IsReadyAsync(HttpClient http, Uri ready, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(ready, cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}

/// CPU seconds used by the service, this process and the whole machine, between two points in time.
internal sealed record CpuSnapshot(long Timestamp, double Service, double Client, double Infra, double MachineBusy, double MachineTotal)
{
    public static CpuSnapshot Take(int? servicePid, IReadOnlyList<int> infraPids)
    {
        var (busy, total) = ProcessSampler.MachineCpuSeconds();
        return new CpuSnapshot(
            Stopwatch.GetTimestamp(),
            servicePid is { } pid ? ProcessSampler.CpuSeconds(pid) : double.NaN,
            ProcessSampler.CpuSeconds(Environment.ProcessId),
            infraPids.Count == 0 ? double.NaN : infraPids.Sum(ProcessSampler.CpuSecondsWithChildren),
            busy,
            total);
    }

    /// Shares of one core (100 = one core fully busy) over the interval; the machine's as a share of all cores.
    public CpuUsage Since(CpuSnapshot start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var seconds = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds;
        return new CpuUsage(
            100 * (Service - start.Service) / seconds,
            100 * (Client - start.Client) / seconds,
            100 * (Infra - start.Infra) / seconds,
            100 * (MachineBusy - start.MachineBusy) / (MachineTotal - start.MachineTotal),
            Environment.ProcessorCount);
    }
}

internal sealed record CpuUsage(double ServicePercentOfCore, double ClientPercentOfCore, double InfraPercentOfCore, double MachineBusyPercent, int Cores)
{
    /// Whatever else ran on the machine meanwhile (a build, another test): a large figure means a noisy measurement.
    public double OtherPercentOfCore =>
        (MachineBusyPercent * Cores) - ClientPercentOfCore - OrZero(ServicePercentOfCore) - OrZero(InfraPercentOfCore);

    public override string ToString()
    {
        var infra = double.IsNaN(InfraPercentOfCore) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"database+broker {InfraPercentOfCore:F0}%  ");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"service {ServicePercentOfCore:F0}%  bench client {ClientPercentOfCore:F0}%  {infra}everything else {OtherPercentOfCore:F0}%  (% of one core);  machine {MachineBusyPercent:F0}% busy of {Cores} cores");
    }

    private static double OrZero(double value) => double.IsNaN(value) ? 0 : value;
}
