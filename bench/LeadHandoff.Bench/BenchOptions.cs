using System.Globalization;
using System.Net;

namespace LeadHandoff.Bench;

/// The command line. Every target must be a loopback address: this tool is for a service on the same machine.
internal sealed class BenchOptions
{
    public const string Usage = """
        LeadHandoff.Bench — load benchmark for POST /v1/webhooks/{source} (loopback only)

          --url URL            service base address (default http://127.0.0.1:5000)
          --source ID          configured source id, kind 'standard' (default bench)
          --secret whsec_...   the source's secret (required)
          --events N           events in the measured phase (default 10000)
          --rate R             open loop: R events/s on a fixed schedule (default: closed loop)
          --duration S         with --rate: send for S seconds (sets --events to R*S)
          --concurrency C      closed-loop workers and HTTP connections (default 64)
          --leads L            distinct leads the events are spread over (default 1000)
          --qualifying F       fraction of leads that qualify as MQL (default 0.3)
          --batch B            events per request, as { "events": [...] } when B > 1 (default 1)
          --warmup N           events sent first (own leads, closed loop), not measured (default 0)
          --body-bytes N       approximate size of one event's JSON (default 1400)
          --rabbitmq URI       count handoffs on the broker and measure webhook->broker latency
          --broker-timeout S   how long to wait for the expected handoffs after sending (default 60)
          --pid P              the service's process id: peak RSS and CPU are sampled from /proc
          --infra-pid P        a database or broker process (repeatable): its CPU, with its children's, is reported
          --name NAME          scenario name for the report (default run)
          --summary FILE       append one tab-separated result line to FILE
          --request-timeout S  per-request timeout (default 30)
        """;

    public Uri Url { get; private set; } = new("http://127.0.0.1:5000");

    public string Source { get; private set; } = "bench";

    public string? Secret { get; private set; }

    public int Events { get; private set; } = 10_000;

    public double? Rate { get; private set; }

    public int Concurrency { get; private set; } = 64;

    public int Leads { get; private set; } = 1000;

    public double Qualifying { get; private set; } = 0.3;

    public int Batch { get; private set; } = 1;

    public int Warmup { get; private set; }

    public int BodyBytes { get; private set; } = 1400;

    public Uri? RabbitMq { get; private set; }

    public TimeSpan BrokerTimeout { get; private set; } = TimeSpan.FromSeconds(60);

    public int? Pid { get; private set; }

    public IReadOnlyList<int> InfraPids => _infraPids;

    private readonly List<int> _infraPids = [];

    public string Name { get; private set; } = "run";

    public string? SummaryFile { get; private set; }

    public TimeSpan RequestTimeout { get; private set; } = TimeSpan.FromSeconds(30);

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        double? duration = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                throw new UsageException(null);
            }

            if (i + 1 >= args.Count)
            {
                throw new UsageException($"{name} needs a value.");
            }

            var value = args[++i];
            switch (name)
            {
                case "--url": options.Url = LoopbackUri(name, value); break;
                case "--source": options.Source = value; break;
                case "--secret": options.Secret = value; break;
                case "--events": options.Events = Int(name, value, 1); break;
                case "--rate": options.Rate = Number(name, value, 0.001); break;
                case "--duration": duration = Number(name, value, 0.001); break;
                case "--concurrency": options.Concurrency = Int(name, value, 1); break;
                case "--leads": options.Leads = Int(name, value, 1); break;
                case "--qualifying": options.Qualifying = Number(name, value, 0); break;
                case "--batch": options.Batch = Int(name, value, 1); break;
                case "--warmup": options.Warmup = Int(name, value, 0); break;
                case "--body-bytes": options.BodyBytes = Int(name, value, 200); break;
                case "--rabbitmq": options.RabbitMq = LoopbackUri(name, value); break;
                case "--broker-timeout": options.BrokerTimeout = TimeSpan.FromSeconds(Number(name, value, 0)); break;
                case "--pid": options.Pid = Int(name, value, 1); break;
                case "--infra-pid": options._infraPids.Add(Int(name, value, 1)); break;
                case "--name": options.Name = value; break;
                case "--summary": options.SummaryFile = value; break;
                case "--request-timeout": options.RequestTimeout = TimeSpan.FromSeconds(Number(name, value, 0.001)); break;
                default: throw new UsageException($"Unknown option {name}.");
            }
        }

        if (string.IsNullOrEmpty(options.Secret))
        {
            throw new UsageException("--secret is required.");
        }

        if (options.Qualifying > 1)
        {
            throw new UsageException("--qualifying is a fraction between 0 and 1.");
        }

        if (duration is { } seconds)
        {
            if (options.Rate is not { } rate)
            {
                throw new UsageException("--duration needs --rate.");
            }

            options.Events = Math.Max(1, (int)Math.Round(rate * seconds));
        }

        options.Leads = Math.Min(options.Leads, options.Events);
        return options;
    }

    private static int Int(string name, string value, int min) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new UsageException($"{name} must be a whole number >= {min}.");

    private static double Number(string name, string value, double min) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new UsageException($"{name} must be a number >= {min}.");

    /// Load must never leave the machine: only loopback hosts are accepted.
    private static Uri LoopbackUri(string name, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            throw new UsageException($"{name} must be an absolute URI.");
        }

        var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        return loopback ? uri : throw new UsageException($"{name} must point at a loopback address (127.0.0.1, localhost, [::1]), not {uri.Host}.");
    }
}

internal sealed class UsageException(string? message) : Exception(message ?? string.Empty)
{
    public bool HelpRequested => string.IsNullOrEmpty(Message);
}
