using LeadHandoff.Api.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadHandoff.Api.Webhooks.HubSpot;

/// A contact whose events carried only its id, waiting to be fetched from the platform's API. Written in the
/// transaction of the events that need it, so neither a restart nor a burst loses the fetch.
internal sealed class ContactFetchRecord
{
    public long Id { get; set; }

    public required string SourceId { get; set; }

    /// The platform's id of the contact; one pending row per source and contact.
    public required string ObjectId { get; set; }

    public int Attempts { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public Guid? ClaimToken { get; set; }

    public DateTime? ClaimedUntil { get; set; }

    /// The last failure's exception type (never its message, which may quote the contact).
    public string? LastError { get; set; }
}

internal sealed class ContactFetchConfiguration : IEntityTypeConfiguration<ContactFetchRecord>
{
    public const string Table = "contact_fetches";

    public void Configure(EntityTypeBuilder<ContactFetchRecord> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(x => x.Id);
        builder.HasIndex(x => new { x.SourceId, x.ObjectId }).IsUnique();
        builder.HasIndex(x => new { x.NextAttemptAt, x.Id });
        builder.HasIndex(x => x.ClaimToken);
        builder.Property(x => x.SourceId).HasMaxLength(64);
        builder.Property(x => x.ObjectId).HasMaxLength(64);
        builder.Property(x => x.LastError).HasMaxLength(200);
    }
}

internal static class ContactFetchModel
{
    // SQLite allows 32,766 parameters per statement; two per row keeps a chunk far below that.
    private const int RowsPerStatement = 200;

    public static DbSet<ContactFetchRecord> ContactFetches(this LeadHandoffDbContext db) => db.Set<ContactFetchRecord>();

    /// Adds the pending fetches inside the caller's transaction. A contact already pending keeps its row (and its
    /// schedule): ON CONFLICT DO NOTHING, so concurrent writers and replicas never fail a batch over a duplicate.
    /// Returns how many rows were new.
    public static async Task<int> AddPendingAsync(
        LeadHandoffDbContext db, IReadOnlyCollection<(string SourceId, string ObjectId)> fetches, DateTime now, CancellationToken cancellationToken)
    {
        var added = 0;
        foreach (var chunk in fetches.Chunk(RowsPerStatement))
        {
            var parameters = new List<object> { now };
            var values = new List<string>(chunk.Length);
            foreach (var (sourceId, objectId) in chunk)
            {
                values.Add($"({{{parameters.Count}}}, {{{parameters.Count + 1}}}, 0, {{0}}, {{0}})");
                parameters.Add(sourceId);
                parameters.Add(objectId);
            }

            // The statement text holds only placeholders; every value is a parameter.
            var sql = $"""INSERT INTO {ContactFetchConfiguration.Table} ("SourceId", "ObjectId", "Attempts", "NextAttemptAt", "CreatedAt") VALUES {string.Join(", ", values)} ON CONFLICT ("SourceId", "ObjectId") DO NOTHING""";
            added += await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
        }

        return added;
    }
}
