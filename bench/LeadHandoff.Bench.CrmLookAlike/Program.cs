using System.Globalization;
using System.Text.Json;
using LeadHandoff.Bench.CrmLookAlike;

// A CRM stand-in for the webhook → CRM latency benchmark: it takes the generic adapter's signed POSTs, measures
// from the webhook's send time (customFields.benchSentAt, stamped by LeadHandoff.Bench) to the record's creation
// here, and prints the percentiles once the expected number of handoffs arrived or the deadline passed.
var options = Options.Parse(args);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, options.Port));
var app = builder.Build();
var records = new Records(options.Expect, options.Warmup);

app.MapPost("/crm", async (HttpContext context) =>
{
    var receivedAt = TimeProvider.System.GetUtcNow();
    using var document = await JsonDocument.ParseAsync(context.Request.Body);
    var handoffId = document.RootElement.GetProperty("handoffId").GetString()!;
    double? sentMs = document.RootElement.TryGetProperty("lead", out var lead)
        && lead.TryGetProperty("customFields", out var fields)
        && fields.TryGetProperty("benchSentAt", out var sent)
        && double.TryParse(sent.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
        ? ms
        : null;
    // occurredAt is when the API committed the qualifying event, i.e. just before it answered 202.
    double? acceptedMs = document.RootElement.TryGetProperty("occurredAt", out var occurred) && occurred.TryGetDateTimeOffset(out var committedAt)
        ? (receivedAt - committedAt).TotalMilliseconds
        : null;
    records.Add(handoffId, sentMs is { } s ? receivedAt.ToUnixTimeMilliseconds() - s : null, acceptedMs);
    return Results.Json(new { id = handoffId }, statusCode: 201);
});

await app.StartAsync();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"crm look-alike listening on 127.0.0.1:{options.Port}, expecting {options.Expect} handoffs"));
using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds));
try
{
    await records.Complete.WaitAsync(deadline.Token);
}
catch (OperationCanceledException)
{
    Console.WriteLine("deadline passed before every handoff arrived");
}

var report = records.Report();
Console.WriteLine(report);
if (options.Summary is not null)
{
    await File.AppendAllTextAsync(options.Summary, report + Environment.NewLine);
}

await app.StopAsync();
return records.Count >= options.Expect ? 0 : 1;

namespace LeadHandoff.Bench.CrmLookAlike
{
    internal sealed record Options(int Port, int Expect, int Warmup, int TimeoutSeconds, string? Summary)
    {
        public static Options Parse(string[] args)
        {
            int port = 0, expect = 0, warmup = 0, timeout = 120;
            string? summary = null;
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                switch (args[i])
                {
                    case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                    case "--expect": expect = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                    case "--warmup": warmup = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                    case "--timeout": timeout = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                    case "--summary": summary = args[i + 1]; break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }

            return port > 0 && expect > 0 ? new Options(port, expect, warmup, timeout, summary) : throw new ArgumentException("--port and --expect are required");
        }
    }

    /// The first <paramref name="warmup"/> handoffs (the service warming up) count towards completion, not latency.
    internal sealed class Records(int expect, int warmup)
    {
        private readonly Lock _gate = new();
        private readonly HashSet<string> _handoffs = new(StringComparer.Ordinal);
        private readonly List<double> _fromSentMs = [];
        private readonly List<double> _fromAcceptedMs = [];
        private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _duplicates;

        public Task Complete => _complete.Task;

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _handoffs.Count;
                }
            }
        }

        public void Add(string handoffId, double? fromSentMs, double? fromAcceptedMs)
        {
            lock (_gate)
            {
                if (!_handoffs.Add(handoffId))
                {
                    _duplicates++;
                    return;
                }

                if (_handoffs.Count > warmup)
                {
                    if (fromSentMs is { } sent)
                    {
                        _fromSentMs.Add(sent);
                    }

                    if (fromAcceptedMs is { } accepted)
                    {
                        _fromAcceptedMs.Add(accepted);
                    }
                }

                if (_handoffs.Count >= expect)
                {
                    _complete.TrySetResult();
                }
            }
        }

        private static string Percentiles(List<double> values)
        {
            var sorted = values.Order().ToArray();
            double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1))];
            return string.Create(CultureInfo.InvariantCulture, $"p50 {P(0.50):F0}  p95 {P(0.95):F0}  p99 {P(0.99):F0}  max {P(1.0):F0}");
        }

        public string Report()
        {
            lock (_gate)
            {
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"webhook→CRM: {_handoffs.Count}/{expect} handoffs ({warmup} warm-up, {_fromAcceptedMs.Count} measured), {_duplicates} redeliveries\n" +
                    $"  from webhook accepted (committed) ms  {Percentiles(_fromAcceptedMs)}\n" +
                    $"  from webhook sent ms                  {Percentiles(_fromSentMs)}");
            }
        }
    }
}
