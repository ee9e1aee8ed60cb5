using System.Diagnostics;
using System.Text.Json;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Json;
using LeadHandoff.Api.Outbox;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Telemetry;
using LeadHandoff.Domain.Qualification;
using LeadHandoff.Domain.Sla;

namespace LeadHandoff.Api.Handoffs;

/// Adding a handoff: its row and its outbox row join the unit of work that made the lead an MQL, so both commit with
/// the decision or neither does. Ingestion and policy re-evaluation both hand leads off through here.
internal static class HandoffWrites
{
    public static Guid Add(
        LeadHandoffDbContext db, LeadState lead, Decision decision, SlaTerms sla, string sourceId, DateTimeOffset now, ActivityContext origin)
    {
        var handoffId = Guid.CreateVersion7(now);
        var message = HandoffMessages.Create(
            handoffId, lead.Record.Id, now, lead.Profile, lead.Record.ExternalIds, lead.Stats, decision, sla, sourceId);
        var payload = JsonSerializer.Serialize(message, StorageJson.Default.LeadHandoffRequested);
        var nowUtc = now.UtcDateTime;

        db.Handoffs.Add(new HandoffRecord
        {
            Id = handoffId,
            LeadId = lead.Record.Id,
            Cycle = lead.Record.Cycle,
            Status = HandoffStatus.Pending,
            SourceId = sourceId,
            PolicyVersion = decision.PolicyVersion,
            CreatedAt = nowUtc,
            UpdatedAt = nowUtc,
            AcceptBy = message.Sla.AcceptBy.UtcDateTime,
            FirstContactBy = message.Sla.FirstContactBy.UtcDateTime,
            Payload = payload,
        });
        db.OutboxMessages.Add(new OutboxMessageRecord
        {
            MessageId = handoffId,
            MessageType = OutboxMessageTypes.LeadHandoffRequested,
            Payload = payload,
            CreatedAt = nowUtc,
            AvailableAt = nowUtc,
            TraceParent = TraceParents.Format(origin),
        });
        return handoffId;
    }

    /// Counts a handoff once its unit of work has committed.
    public static void Count(string sourceId) =>
        LeadHandoffTelemetry.HandoffsCreated.Add(1, new KeyValuePair<string, object?>("source", sourceId));
}
