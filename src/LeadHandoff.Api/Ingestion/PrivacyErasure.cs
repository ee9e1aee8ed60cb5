using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json.Nodes;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Webhooks.DeadLetters;
using LeadHandoff.Api.Webhooks.HubSpot;
using LeadHandoff.Domain.Leads;
using LeadHandoff.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Ingestion;

/// A platform's request to erase a person (HubSpot's <c>contact.privacyDeletion</c>): the personal data we hold goes,
/// the anonymous facts reports need (ids, stages, counts, scores, timestamps, firmographics) stay, and a record without
/// personal data proves the erasure.
internal sealed record PendingErasure(LeadState Lead, string SourceId, string Reason, string EventDedupKey, DateTimeOffset RequestedAt)
{
    /// The email the lead had before the erasure: what its dead letters are recognised by.
    public string? Email { get; init; }
}

internal static class PrivacyErasure
{
    // Custom fields that are stages and statuses, not facts about the person; everything else custom may be personal.
    private static readonly HashSet<string> AnonymousCustomFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "lifecyclestage", "hs_lead_status",
    };

    private static readonly string[] PersonalFields = ["email", "firstName", "lastName", "phone", "jobTitle"];

    private static readonly Meter Meter = new(ServiceDefaultsExtensions.TelemetryName);

    private static readonly Counter<long> Erased = Meter.CreateCounter<long>(
        "leadhandoff.leads.erased", "{lead}", "Leads whose personal data was erased on a platform's privacy request, per source.");

    /// The profile without what identifies the person.
    public static LeadProfile Anonymize(LeadProfile profile) => profile with
    {
        Email = null,
        FirstName = null,
        LastName = null,
        Phone = null,
        JobTitle = null,
        CustomFields = profile.CustomFields.Count == 0
            ? ContactData.NoValues
            : profile.CustomFields.Where(f => AnonymousCustomFields.Contains(f.Key)).ToDictionary(StringComparer.Ordinal),
    };

    /// Runs inside the batch's transaction, after its rows are saved: scrubs the stored payloads of the lead's
    /// interactions (the erasure request's own, which holds only ids, stays as evidence), deletes the source's
    /// dead letters that name the person, and records the erasure.
    public static async Task<LeadErasureRecord> ApplyAsync(LeadHandoffDbContext db, PendingErasure erasure, DateTime now, CancellationToken cancellationToken)
    {
        var leadId = erasure.Lead.Record.Id;
        var interactions = await db.InteractionEvents
            .Where(e => e.LeadId == leadId && e.DedupKey != erasure.EventDedupKey && e.Payload != "{}")
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.Payload, "{}").SetProperty(e => e.Url, (string?)null), cancellationToken);

        var handoffs = await ScrubHandoffsAsync(db, leadId, cancellationToken);
        var hubSpotIds = erasure.Lead.Record.ExternalIds.Where(x => x.System == HubSpotProperties.System).Select(x => x.Value).ToList();
        if (hubSpotIds.Count > 0)
        {
            // A fetch still pending would bring the person back (HubSpot may not have erased them yet).
            await db.ContactFetches().Where(f => f.SourceId == erasure.SourceId && hubSpotIds.Contains(f.ObjectId)).ExecuteDeleteAsync(cancellationToken);
        }

        var deadLetters = 0;
        var markers = Markers(erasure);
        if (markers.Count > 0)
        {
            // Dead letters are bodies we could not parse, so there is no column to match on: the source's few are read
            // and searched for the person's email or platform id.
            var candidates = await db.DeadLetters().AsNoTracking()
                .Where(d => d.SourceId == erasure.SourceId)
                .Select(d => new { d.Id, d.Body })
                .ToListAsync(cancellationToken);
            var matching = candidates.Where(d => markers.Exists(m => d.Body.AsSpan().IndexOf(m) >= 0)).Select(d => d.Id).ToList();
            if (matching.Count > 0)
            {
                deadLetters = await db.DeadLetters().Where(d => matching.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
            }
        }

        var record = new LeadErasureRecord
        {
            LeadId = leadId,
            SourceId = erasure.SourceId,
            Reason = erasure.Reason,
            EventDedupKey = erasure.EventDedupKey,
            RequestedAt = erasure.RequestedAt.UtcDateTime,
            ErasedAt = now,
            InteractionsScrubbed = interactions,
            HandoffsScrubbed = handoffs,
            DeadLettersScrubbed = deadLetters,
        };
        db.LeadErasures().Add(record);
        await db.SaveChangesAsync(cancellationToken);
        Erased.Add(1, new KeyValuePair<string, object?>("source", erasure.SourceId));
        return record;
    }

    /// Handoff messages (and their outbox rows, published or not) keep the lead's ids, scores and reasons, so a replay
    /// still says what happened, but lose the person's profile fields.
    private static async Task<int> ScrubHandoffsAsync(LeadHandoffDbContext db, Guid leadId, CancellationToken cancellationToken)
    {
        var handoffs = await db.Handoffs.Where(h => h.LeadId == leadId).ToListAsync(cancellationToken);
        if (handoffs.Count == 0)
        {
            return 0;
        }

        foreach (var handoff in handoffs)
        {
            handoff.Payload = ScrubMessage(handoff.Payload);
        }

        var leadText = leadId.ToString();
        var messages = await db.OutboxMessages.Where(m => m.Payload.Contains(leadText)).ToListAsync(cancellationToken);
        foreach (var message in messages)
        {
            message.Payload = ScrubMessage(message.Payload);
        }

        await db.SaveChangesAsync(cancellationToken);
        return handoffs.Count;
    }

    internal static string ScrubMessage(string json)
    {
        var root = JsonNode.Parse(json);
        if (root is null)
        {
            return json;
        }

        Scrub(root);
        return root.ToJsonString();
    }

    private static void Scrub(JsonNode node)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array.OfType<JsonNode>())
            {
                Scrub(item);
            }

            return;
        }

        if (node is not JsonObject obj)
        {
            return;
        }

        // The seller's summary is prose about the person; it is optional in the contract.
        obj.Remove("summary");
        foreach (var profile in new[] { obj["lead"], obj["profile"] }.OfType<JsonObject>())
        {
            foreach (var field in PersonalFields)
            {
                profile.Remove(field);
            }

            if (profile["customFields"] is JsonObject custom)
            {
                foreach (var key in custom.Select(p => p.Key).Where(k => !AnonymousCustomFields.Contains(k)).ToList())
                {
                    custom.Remove(key);
                }
            }
        }

        foreach (var child in obj.Select(p => p.Value).OfType<JsonNode>().ToList())
        {
            Scrub(child);
        }
    }

    private static List<byte[]> Markers(PendingErasure erasure)
    {
        var markers = new List<byte[]>();
        if (erasure.Email is { } email)
        {
            markers.Add(Encoding.UTF8.GetBytes(email));
        }

        foreach (var id in erasure.Lead.Record.ExternalIds.Where(x => x.Value.Length >= 6))
        {
            // Short ids would match unrelated digits; HubSpot's contact ids are long.
            markers.Add(Encoding.UTF8.GetBytes(id.Value));
        }

        return markers;
    }
}

internal static partial class PrivacyErasureLog
{
    [LoggerMessage(5201, LogLevel.Information, "Personal data of lead {LeadId} erased on {Reason} from source {SourceId}: {Interactions} interaction payloads scrubbed, {DeadLetters} dead letters deleted")]
    public static partial void LeadErased(this ILogger logger, Guid leadId, string sourceId, string reason, int interactions, int deadLetters);
}
