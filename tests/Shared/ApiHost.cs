using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
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
            ["ConnectionStrings:LeadHandoff"] = $"Data Source={Path.Combine(DataDirectory, "leadhandoff.db")}",
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

    public WebhookClient Webhooks() => new(CreateClient());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_configureServices is not null)
        {
            builder.ConfigureServices(_configureServices);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
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
