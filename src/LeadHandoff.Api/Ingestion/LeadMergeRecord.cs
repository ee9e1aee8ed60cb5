using LeadHandoff.Api.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadHandoff.Api.Ingestion;

/// Two records found to be one person (same normalized email, or the same id in the same system): the loser's
/// history, decisions and external ids now belong to the winner, and the loser points at it.
internal sealed class LeadMergeRecord
{
    public long Id { get; set; }

    public Guid WinnerId { get; set; }

    public Guid LoserId { get; set; }

    /// What proved them one person, e.g. <c>email+hubspot</c>.
    public required string Reason { get; set; }

    /// The event whose identities met.
    public required string EventDedupKey { get; set; }

    public DateTime MergedAt { get; set; }
}

internal sealed class LeadMergeConfiguration : IEntityTypeConfiguration<LeadMergeRecord>
{
    public void Configure(EntityTypeBuilder<LeadMergeRecord> builder)
    {
        builder.ToTable("lead_merges");
        builder.HasKey(x => x.Id);
        builder.HasIndex(x => x.LoserId).IsUnique();
        builder.HasIndex(x => x.WinnerId);
        builder.Property(x => x.Reason).HasMaxLength(100);
        builder.Property(x => x.EventDedupKey).HasMaxLength(400);
    }
}

internal static class LeadMergeModel
{
    public static DbSet<LeadMergeRecord> LeadMerges(this LeadHandoffDbContext db) => db.Set<LeadMergeRecord>();
}
