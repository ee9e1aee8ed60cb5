namespace LeadHandoff.Contracts.V1;

/// <summary>A CRM adapter landed the handoff in its CRM.</summary>
/// <param name="HandoffId">The handoff delivered.</param>
/// <param name="Crm">The CRM's name (e.g. <c>salesforce</c>).</param>
/// <param name="CrmRecordId">The id of the record in the CRM.</param>
/// <param name="DeliveredAt">When the CRM confirmed it.</param>
public sealed record HandoffDelivered(Guid HandoffId, string Crm, string CrmRecordId, DateTimeOffset DeliveredAt);

/// <summary>A CRM adapter could not land the handoff.</summary>
/// <param name="HandoffId">The handoff concerned.</param>
/// <param name="Crm">The CRM's name.</param>
/// <param name="Reason">What went wrong (no PII).</param>
/// <param name="Retryable">Whether a later attempt may succeed.</param>
/// <param name="FailedAt">When the attempt failed.</param>
public sealed record HandoffDeliveryFailed(Guid HandoffId, string Crm, string Reason, bool Retryable, DateTimeOffset FailedAt);

/// <summary>Sales' feedback on a handoff: the closed loop.</summary>
/// <param name="FeedbackId">Idempotency key of this feedback.</param>
/// <param name="HandoffId">The handoff concerned.</param>
/// <param name="Type">accepted, rejected, contactAttempted, contacted, opportunity, won, lost or recycled.</param>
/// <param name="At">When it happened.</param>
/// <param name="Reason">Reason for a rejection, loss or recycle.</param>
/// <param name="By">Who reported it.</param>
public sealed record SalesFeedbackReceived(Guid FeedbackId, Guid HandoffId, string Type, DateTimeOffset At, string? Reason, string? By);

/// <summary>A deadline of the agreement passed without the required feedback.</summary>
/// <param name="HandoffId">The handoff concerned.</param>
/// <param name="Deadline">Which deadline: <c>accept</c> or <c>firstContact</c>.</param>
/// <param name="DueAt">When it was due.</param>
/// <param name="Overdue">By how long it was missed when detected.</param>
/// <param name="Owner">Who owns the missed step (<c>sales</c> or <c>marketing</c>).</param>
public sealed record SlaBreached(Guid HandoffId, string Deadline, DateTimeOffset DueAt, TimeSpan Overdue, string Owner);

/// <summary>A lead went back to marketing's nurture programs.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="HandoffId">The handoff that ended, if any.</param>
/// <param name="Reason">Why it was recycled.</param>
/// <param name="At">When.</param>
public sealed record LeadRecycled(Guid LeadId, Guid? HandoffId, string Reason, DateTimeOffset At);

/// <summary>A lead was disqualified for good.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="PolicyVersion">The policy version that decided.</param>
/// <param name="Reasons">The blacklist entries or rejection reasons.</param>
/// <param name="At">When.</param>
public sealed record LeadDisqualified(Guid LeadId, string PolicyVersion, IReadOnlyList<string> Reasons, DateTimeOffset At);
