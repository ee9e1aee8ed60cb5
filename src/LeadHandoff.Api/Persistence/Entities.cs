namespace LeadHandoff.Api.Persistence;

// Timestamps are UTC DateTime rather than DateTimeOffset: SQLite can then compare and order them in SQL, and
// PostgreSQL stores them as timestamptz.

internal sealed class LeadRecord
{
    public Guid Id { get; set; }

    /// Normalized; unique when present.
    public string? Email { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Phone { get; set; }

    public string? Company { get; set; }

    public string? JobTitle { get; set; }

    public int? CompanySize { get; set; }

    public string? Website { get; set; }

    public string? Country { get; set; }

    public string? Industry { get; set; }

    public int? Score { get; set; }

    public string CustomFieldsJson { get; set; } = "{}";

    public DateTime? ProfileAsOf { get; set; }

    public string Stage { get; set; } = "lead";

    /// Incremented by a recycle; a lead is handed off at most once per cycle.
    public int Cycle { get; set; }

    public DateTime StageChangedAt { get; set; }

    public string StatsJson { get; set; } = "{}";

    public string? LastDecisionJson { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// Optimistic concurrency: two replicas updating one lead never silently overwrite each other.
    public int Version { get; set; }

    public List<LeadExternalIdRecord> ExternalIds { get; set; } = [];

    /// Set when this record was merged into another; reads of this id answer with that lead.
    public Guid? MergedIntoId { get; set; }
}

internal sealed class LeadExternalIdRecord
{
    /// <c>system:value</c>, e.g. <c>hubspot:65059681032</c>.
    public required string Key { get; set; }

    public required string System { get; set; }

    public required string Value { get; set; }

    public Guid LeadId { get; set; }

    public static string KeyOf(string system, string value) => string.Concat(system.ToLowerInvariant(), ":", value);
}

internal sealed class InteractionEventRecord
{
    public long Id { get; set; }

    /// <c>sourceId:eventId</c>; unique, which is what makes ingestion idempotent.
    public required string DedupKey { get; set; }

    public required string SourceId { get; set; }

    public required string EventId { get; set; }

    public Guid LeadId { get; set; }

    public required string Type { get; set; }

    public DateTime OccurredAt { get; set; }

    public DateTime ReceivedAt { get; set; }

    public string? Channel { get; set; }

    public string? Name { get; set; }

    public string? Url { get; set; }

    public string? Campaign { get; set; }

    /// The event exactly as the platform sent it.
    public required string Payload { get; set; }
}

internal sealed class DecisionRecord
{
    public long Id { get; set; }

    public Guid LeadId { get; set; }

    public required string Outcome { get; set; }

    public required string PolicyVersion { get; set; }

    public required string RulesJson { get; set; }

    public required string EventDedupKey { get; set; }

    public DateTime DecidedAt { get; set; }
}

internal sealed partial class HandoffRecord
{
    /// Insertion order, used for stable paging.
    public long Seq { get; set; }

    public Guid Id { get; set; }

    public Guid LeadId { get; set; }

    public int Cycle { get; set; }

    public required string Status { get; set; }

    public required string SourceId { get; set; }

    public required string PolicyVersion { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? PublishedAt { get; set; }

    public DateTime AcceptBy { get; set; }

    public DateTime FirstContactBy { get; set; }

    /// The <c>LeadHandoffRequested</c> message as published.
    public required string Payload { get; set; }
}

internal sealed class OutboxMessageRecord
{
    public long Id { get; set; }

    /// The bus message id; derived from our own id (the handoff id) so a re-publication is recognisable.
    public Guid MessageId { get; set; }

    public required string MessageType { get; set; }

    public required string Payload { get; set; }

    public DateTime CreatedAt { get; set; }

    /// Not before this instant (back-off after a failed publication).
    public DateTime AvailableAt { get; set; }

    public int Attempts { get; set; }

    /// The dispatcher instance that claimed the row, until <see cref="ClaimedUntil"/>.
    public Guid? ClaimToken { get; set; }

    public DateTime? ClaimedUntil { get; set; }

    public DateTime? PublishedAt { get; set; }

    public string? LastError { get; set; }

    /// W3C trace context of the request that produced the message, so one trace runs webhook → broker → CRM.
    public string? TraceParent { get; set; }
}
