using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadHandoff.Api.Handoffs;

/// Where one CRM adapter landed a handoff, or why it could not: one row per handoff and CRM, since a company may run
/// several adapters (Salesforce for sales, a generic target for a data warehouse) on the same handoffs.
internal sealed class HandoffDeliveryRecord
{
    public Guid HandoffId { get; set; }

    public required string Crm { get; set; }

    public string? CrmRecordId { get; set; }

    /// The first confirmed delivery; a redelivery only refreshes <see cref="UpdatedAt"/>.
    public DateTime? DeliveredAt { get; set; }

    /// A reason code from the adapter (no PII).
    public string? LastFailure { get; set; }

    public bool? LastFailureRetryable { get; set; }

    public DateTime? LastFailedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

internal sealed class HandoffDeliveryConfiguration : IEntityTypeConfiguration<HandoffDeliveryRecord>
{
    public void Configure(EntityTypeBuilder<HandoffDeliveryRecord> builder)
    {
        builder.ToTable("handoff_deliveries");
        builder.HasKey(x => new { x.HandoffId, x.Crm });
        builder.Property(x => x.Crm).HasMaxLength(64);
        builder.Property(x => x.CrmRecordId).HasMaxLength(255);
        builder.Property(x => x.LastFailure).HasMaxLength(500);
    }
}
