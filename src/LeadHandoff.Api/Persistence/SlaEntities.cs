using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Persistence;

/// Sales' side of a handoff: where it stands, the facts the SLA reports aggregate, and the monitor's bookkeeping.
internal sealed partial class HandoffRecord
{
    /// The stage machine's state (awaitingAcceptance, accepted, contacted, …); <see cref="Status"/> is what the API
    /// shows, which also tracks publication and delivery while sales has not answered.
    public string SalesState { get; set; } = "awaitingAcceptance";

    public int ContactAttempts { get; set; }

    public DateTime? AcceptedAt { get; set; }

    public DateTime? FirstContactAt { get; set; }

    /// Business hours from the handoff to its acceptance and to its first contact, stored so that medians and
    /// percentiles are an ordered, indexed read rather than a computation over every row.
    public double? AcceptHours { get; set; }

    public double? FirstContactHours { get; set; }

    public DateTime? ClosedAt { get; set; }

    /// When the SLA monitor must look at this handoff again; null on a new handoff (looked at on the next round)
    /// and on a closed one (never again).
    public DateTime? SlaCheckAt { get; set; }

    /// The monitor replica that claimed the handoff until <see cref="SlaCheckAt"/>.
    public Guid? SlaClaimToken { get; set; }
}

/// One piece of sales feedback, stored once per feedback id (the idempotency key).
internal sealed class SalesFeedbackRecord
{
    public Guid FeedbackId { get; set; }

    public Guid HandoffId { get; set; }

    public Guid LeadId { get; set; }

    public required string Type { get; set; }

    public DateTime At { get; set; }

    public string? Reason { get; set; }

    public string? By { get; set; }

    /// <c>api</c> or <c>bus</c>.
    public required string Channel { get; set; }

    public DateTime ReceivedAt { get; set; }
}

/// A step of a lead through the funnel: who moved it, when and why.
internal sealed class StageTransitionRecord
{
    public long Id { get; set; }

    public Guid LeadId { get; set; }

    public Guid? HandoffId { get; set; }

    public required string FromStage { get; set; }

    public required string ToStage { get; set; }

    public required string Owner { get; set; }

    /// The feedback type or the monitor's rule (<c>giveUp</c>).
    public required string Cause { get; set; }

    public string? Reason { get; set; }

    public Guid? FeedbackId { get; set; }

    public DateTime At { get; set; }
}

/// An at-risk warning or a breach, raised once per handoff, deadline and kind: the unique index is what keeps two
/// monitor replicas from raising it twice.
internal sealed class SlaAlertRecord
{
    public long Id { get; set; }

    public Guid HandoffId { get; set; }

    /// <c>accept</c> or <c>firstContact</c>.
    public required string Deadline { get; set; }

    /// An at-risk level or <c>breach</c>.
    public required string Kind { get; set; }

    public DateTime DueAt { get; set; }

    public DateTime RaisedAt { get; set; }
}

internal static class SlaModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<HandoffRecord>(h =>
        {
            h.Property(x => x.SalesState).HasMaxLength(32).HasDefaultValue("awaitingAcceptance");
            h.HasIndex(x => x.SlaCheckAt);
            // Covers every per-period aggregate of the SLA report, so it never reads the handoff rows (and their
            // message payloads) themselves.
            h.HasIndex(x => new { x.CreatedAt, x.SalesState, x.AcceptHours, x.FirstContactHours }).HasDatabaseName("IX_handoffs_sla_report");
            h.HasIndex(x => x.AcceptedAt);
        });

        // The funnel report counts leads created in a period and leads per current stage.
        modelBuilder.Entity<LeadRecord>(l =>
        {
            l.HasIndex(x => x.CreatedAt);
            l.HasIndex(x => x.Stage);
        });

        modelBuilder.Entity<SalesFeedbackRecord>(f =>
        {
            f.ToTable("sales_feedback");
            f.HasKey(x => x.FeedbackId);
            f.HasIndex(x => new { x.HandoffId, x.At });
            f.HasIndex(x => new { x.At, x.Type });
            f.Property(x => x.Type).HasMaxLength(32);
            f.Property(x => x.Reason).HasMaxLength(500);
            f.Property(x => x.By).HasMaxLength(200);
            f.Property(x => x.Channel).HasMaxLength(16);
        });

        modelBuilder.Entity<StageTransitionRecord>(t =>
        {
            t.ToTable("stage_transitions");
            t.HasKey(x => x.Id);
            t.HasIndex(x => new { x.LeadId, x.Id });
            t.HasIndex(x => new { x.At, x.ToStage });
            t.Property(x => x.FromStage).HasMaxLength(32);
            t.Property(x => x.ToStage).HasMaxLength(32);
            t.Property(x => x.Owner).HasMaxLength(16);
            t.Property(x => x.Cause).HasMaxLength(32);
            t.Property(x => x.Reason).HasMaxLength(500);
        });

        modelBuilder.Entity<SlaAlertRecord>(a =>
        {
            a.ToTable("sla_alerts");
            a.HasKey(x => x.Id);
            a.HasIndex(x => new { x.HandoffId, x.Deadline, x.Kind }).IsUnique();
            a.HasIndex(x => new { x.DueAt, x.Kind });
            a.Property(x => x.Deadline).HasMaxLength(16);
            a.Property(x => x.Kind).HasMaxLength(32);
        });
    }
}
