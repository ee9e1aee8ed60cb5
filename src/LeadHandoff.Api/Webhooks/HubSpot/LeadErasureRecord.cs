using LeadHandoff.Api.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadHandoff.Api.Webhooks.HubSpot;

/// That a lead's personal data was erased on a privacy request, and what was touched; holds no personal data itself,
/// so it may outlive the erasure as its proof.
internal sealed class LeadErasureRecord
{
    public long Id { get; set; }

    public Guid LeadId { get; set; }

    public required string SourceId { get; set; }

    /// The platform's request type, e.g. <c>hubspot:contact.privacyDeletion</c>.
    public required string Reason { get; set; }

    /// The dedup key of the event that asked for the erasure.
    public required string EventDedupKey { get; set; }

    public DateTime RequestedAt { get; set; }

    public DateTime ErasedAt { get; set; }

    public int InteractionsScrubbed { get; set; }

    public int HandoffsScrubbed { get; set; }

    public int DeadLettersScrubbed { get; set; }
}

internal sealed class LeadErasureConfiguration : IEntityTypeConfiguration<LeadErasureRecord>
{
    public void Configure(EntityTypeBuilder<LeadErasureRecord> builder)
    {
        builder.ToTable("lead_erasures");
        builder.HasKey(x => x.Id);
        builder.HasIndex(x => x.LeadId);
        builder.HasIndex(x => x.EventDedupKey).IsUnique();
        builder.Property(x => x.SourceId).HasMaxLength(64);
        builder.Property(x => x.Reason).HasMaxLength(200);
        builder.Property(x => x.EventDedupKey).HasMaxLength(400);
    }
}

internal static class LeadErasureModel
{
    public static DbSet<LeadErasureRecord> LeadErasures(this LeadHandoffDbContext db) => db.Set<LeadErasureRecord>();
}
