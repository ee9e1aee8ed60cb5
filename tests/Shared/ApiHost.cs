using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace LeadHandoff.Testing;

/// The real application on a real Kestrel (a free loopback port), configured through its public settings.
/// SQLite by default, in a temp folder of its own; pass settings to switch to PostgreSQL or RabbitMQ.
public sealed class ApiHost : WebApplicationFactory<Program>
{
    public const string SourceId = "test";
    public const string Secret = "whsec_dGVzdC1zZWNyZXQtZm9yLWxlYWRoYW5kb2ZmLXRlc3Rz";
    public const string RotatedSecret = "whsec_cm90YXRlZC1zZWNyZXQtZm9yLWxlYWRoYW5kb2Zm";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    public ApiHost(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        _configureServices = configureServices;
        DataDirectory = Directory.CreateTempSubdirectory("leadhandoff-test-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:LeadHandoff"] = SqliteConnectionString(DataDirectory),
            [$"LeadHandoff:Sources:{SourceId}:Kind"] = "standard",
            [$"LeadHandoff:Sources:{SourceId}:Secrets:0"] = Secret,
            [$"LeadHandoff:Sources:{SourceId}:Secrets:1"] = RotatedSecret,
            ["LeadHandoff:Webhooks:MaxBodyBytes"] = "65536",
            ["LeadHandoff:Outbox:PollInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(0);
        StartServer();
    }

    public string DataDirectory { get; }

    /// Unpooled: nothing holds the file once a host is gone, so no test has to clear the process-wide SQLite pools
    /// (which can take a connection from under another test's host running in parallel).
    public static string SqliteConnectionString(string directory) => $"Data Source={Path.Combine(directory, "leadhandoff.db")};Pooling=False";

    public WebhookClient Webhooks() => new(CreateClient());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        // On the in-memory bus, the host is not handed to a test before the bus runs (readiness, bus consumers);
        // on RabbitMQ it starts without waiting, as in production, so broker-outage tests can start it while down.
        if (!string.Equals(_settings.GetValueOrDefault("LeadHandoff:Bus:Transport"), "RabbitMq", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConfigureServices(services => services.PostConfigure<MassTransitHostOptions>(o => o.WaitUntilStarted = true));
        }

        if (_configureServices is not null)
        {
            builder.ConfigureServices(_configureServices);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the run over it would not be.
        }

        GC.SuppressFinalize(this);
    }
}
