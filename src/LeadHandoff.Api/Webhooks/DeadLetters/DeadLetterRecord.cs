using LeadHandoff.Api.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadHandoff.Api.Webhooks.DeadLetters;

/// A verified webhook request whose body could not be turned into events, kept byte for byte for inspection and
/// re-ingestion once the mapping is fixed.
internal sealed class DeadLetterRecord
{
    public long Id { get; set; }

    public required string SourceId { get; set; }

    public DateTime ReceivedAt { get; set; }

    public string? ContentType { get; set; }

    /// The request headers a parser may read (secrets and signatures left out), as a JSON object.
    public required string HeadersJson { get; set; }

    public required byte[] Body { get; set; }

    /// The problem details <c>errors</c> map the platform was answered with.
    public required string ErrorsJson { get; set; }

    /// <c>pending</c> or <c>reingested</c>.
    public required string Status { get; set; }

    public int Attempts { get; set; }

    public DateTime? ReingestedAt { get; set; }
}

internal static class DeadLetterStatus
{
    public const string Pending = "pending";
    public const string Reingested = "reingested";
}

internal sealed class DeadLetterConfiguration : IEntityTypeConfiguration<DeadLetterRecord>
{
    public void Configure(EntityTypeBuilder<DeadLetterRecord> builder)
    {
        builder.ToTable("webhook_dead_letters");
        builder.HasKey(x => x.Id);
        builder.HasIndex(x => new { x.Status, x.Id });
        builder.Property(x => x.SourceId).HasMaxLength(64);
        builder.Property(x => x.Status).HasMaxLength(16);
        builder.Property(x => x.ContentType).HasMaxLength(200);
    }
}

internal static class DeadLetterModel
{
    public static DbSet<DeadLetterRecord> DeadLetters(this LeadHandoffDbContext db) => db.Set<DeadLetterRecord>();
}
