using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Persistence;

internal enum StorageProvider
{
    Sqlite,
    Postgres,
}

internal sealed class StorageOptions
{
    public const string SectionName = "LeadHandoff:Storage";

    public const string DefaultSqliteConnectionString = "Data Source=data/leadhandoff.db";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// Applies pending migrations at start-up (EF Core takes a migration lock, so replicas may all do it).
    public bool MigrateOnStart { get; set; } = true;

    /// Concurrent ingestion writers, each with its own share of the leads (requests are routed by the lead's
    /// identity, so one lead's events stay in order). Defaults to 2: on SQLite one prepares while the other commits;
    /// on PostgreSQL more writers mean smaller batches and more commits, which measured slower on 2 cores (bench/)
    /// — raise it on larger database servers.
    [Range(1, 64)]
    public int? Writers { get; set; }

    public int EffectiveWriters => Writers ?? 2;

    /// The most webhook requests committed in one transaction.
    [Range(1, 10_000)]
    public int MaxBatchRequests { get; set; } = 256;

    /// Webhook requests waiting for the writer before new ones are refused with 429.
    [Range(1, 1_000_000)]
    public int MaxPendingRequests { get; set; } = 10_000;
}

[OptionsValidator]
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;
