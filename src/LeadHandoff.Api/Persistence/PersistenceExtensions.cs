using LeadHandoff.Api.Telemetry;
using LeadHandoff.ServiceDefaults;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Persistence;

internal static class PersistenceExtensions
{
    private static readonly SqliteCommandTelemetry SqliteTelemetry = new();
    private static readonly SqliteConnectionSettings SqliteSettings = new();

    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        var provider = builder.Configuration.GetValue(StorageOptions.SectionName + ":Provider", StorageProvider.Sqlite);
        var connectionString = builder.Configuration.GetConnectionString("LeadHandoff");
        switch (provider)
        {
            case StorageProvider.Sqlite:
                var sqlite = SqliteConnectionString(connectionString, builder.Environment.ContentRootPath);
                builder.Services.AddDbContextPool<LeadHandoffDbContext, SqliteLeadHandoffDbContext>(o => o.UseSqlite(sqlite).AddInterceptors(SqliteTelemetry, SqliteSettings));
                break;
            case StorageProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("LeadHandoff:Storage:Provider is Postgres but ConnectionStrings:LeadHandoff is empty.");
                }

                builder.Services.AddDbContextPool<LeadHandoffDbContext, PostgresLeadHandoffDbContext>(o => o.UseNpgsql(connectionString));
                break;
            default:
                throw new InvalidOperationException($"LeadHandoff:Storage:Provider '{provider}' is not Sqlite or Postgres.");
        }

        builder.Services.AddSingleton(new StorageWriteGate(serialize: provider == StorageProvider.Sqlite));
        builder.Services.AddHealthChecks().AddDbContextCheck<LeadHandoffDbContext>("database", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// Applies migrations before the service takes traffic. SQLite also gets write-ahead logging, so readers never
    /// block the writer.
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (!options.MigrateOnStart)
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadHandoffDbContext>();
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
        }
    }

    /// A relative SQLite path is taken from the content root, and its folder is created: the service must start
    /// on a bare machine.
    internal static string SqliteConnectionString(string? configured, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? StorageOptions.DefaultSqliteConnectionString : configured);
        if (builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }

        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
        return builder.ToString();
    }
}

/// Used by `dotnet ef migrations add … --context SqliteLeadHandoffDbContext`.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteLeadHandoffDbContext>
{
    public SqliteLeadHandoffDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteLeadHandoffDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// Used by `dotnet ef migrations add … --context PostgresLeadHandoffDbContext`; never connects.
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresLeadHandoffDbContext>
{
    public PostgresLeadHandoffDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresLeadHandoffDbContext>().UseNpgsql("Host=localhost;Database=leadhandoff").Options);
}
