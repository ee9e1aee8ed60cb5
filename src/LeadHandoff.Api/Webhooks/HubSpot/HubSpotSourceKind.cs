using System.Text.Json;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Sources;
using LeadHandoff.Domain.Events;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Webhooks.HubSpot;

/// HubSpot app webhooks (a JSON array of up to 100 id-only events) and the workflow "Send a webhook" action
/// (one contact object with its properties).
internal sealed class HubSpotSourceKind(IOptions<WebhookOptions> options, HubSpotEnrichmentSignal enrichment) : ISourceKind
{
    public string Name => "hubspot";

    public IReadOnlyList<string> MediaTypes { get; } = ["application/json"];

    public byte[] DecodeSecret(string secret) => SharedSecret.Decode(secret);

    public IEnumerable<string> ValidateOptions(string where, SourceOptions options)
    {
        if (options.PublicUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0))
        {
            yield return $"{where}:PublicUrl must be the absolute http(s) URL configured in HubSpot, without a query string.";
        }

        if (options.Api is { } api)
        {
            if (string.IsNullOrWhiteSpace(api.AccessToken))
            {
                yield return $"{where}:Api:AccessToken is required to fetch contacts from HubSpot (a private app token).";
            }

            if (!api.BaseUrl.IsAbsoluteUri || api.BaseUrl.Scheme is not ("https" or "http"))
            {
                yield return $"{where}:Api:BaseUrl must be an absolute http(s) URL.";
            }
        }
    }

    public SignatureCheck Verify(WebhookRequest request, IReadOnlyList<byte[]> keys, DateTimeOffset now)
    {
        string? signature = request.Headers[HubSpotSignature.V3Header];
        if (!string.IsNullOrEmpty(signature))
        {
            string? timestamp = request.Headers[HubSpotSignature.TimestampHeader];
            if (!HubSpotSignature.TryParseTimestamp(timestamp, out var at))
            {
                return SignatureCheck.Invalid($"{HubSpotSignature.TimestampHeader} is required, in Unix milliseconds.");
            }

            var tolerance = options.Value.TimestampTolerance;
            if ((now - at).Duration() > tolerance)
            {
                return SignatureCheck.Invalid($"{HubSpotSignature.TimestampHeader} is more than {tolerance.TotalMinutes:F0} minutes away from the server's clock.");
            }

            return HubSpotSignature.MatchesV3(keys, request.Method, request.Url, request.Body.Span, timestamp!, signature)
                ? SignatureCheck.Valid
                : SignatureCheck.Invalid($"{HubSpotSignature.V3Header} does not match the request with any configured client secret (is PublicUrl the URL HubSpot calls?).");
        }

        string? legacy = request.Headers[HubSpotSignature.LegacyHeader];
        if (string.IsNullOrEmpty(legacy))
        {
            return SignatureCheck.Invalid($"The {HubSpotSignature.V3Header} and {HubSpotSignature.TimestampHeader} headers are required.");
        }

        if (!request.Settings.AllowLegacySignatures)
        {
            return SignatureCheck.Invalid($"Only {HubSpotSignature.V3Header} is accepted by this source (v1/v2 signatures carry no timestamp).");
        }

        var version = request.Headers[HubSpotSignature.VersionHeader].ToString();
        if (version is not ("v1" or "v2"))
        {
            return SignatureCheck.Invalid($"{HubSpotSignature.VersionHeader} must be v1 or v2.");
        }

        return HubSpotSignature.MatchesLegacy(keys, version, request.Method, request.Url, request.Body.Span, legacy)
            ? SignatureCheck.Valid
            : SignatureCheck.Invalid($"{HubSpotSignature.LegacyHeader} does not match the request with any configured client secret.");
    }

    public ParseOutcome Parse(WebhookRequest request)
    {
        using var document = PlatformEvents.ParseJson(request.Body, out var malformed);
        if (document is null)
        {
            return malformed!;
        }

        var root = document.RootElement;
        return root.ValueKind switch
        {
            JsonValueKind.Array => ParseAppEvents(root, request.Settings.Api is { AccessToken.Length: > 0 }),
            JsonValueKind.Object => ParseWorkflowContact(root, request),
            _ => ParseOutcome.Invalid("body", "Expected HubSpot's array of webhook events or a workflow's contact object."),
        };
    }

    /// Their pending fetches were committed with the events; the worker need not wait for its next poll.
    public void Stored(WebhookSource source, IReadOnlyList<IncomingEvent> events)
    {
        if (events.Any(e => e.FetchObjectId is not null))
        {
            enrichment.Notify();
        }
    }

    private ParseOutcome ParseAppEvents(JsonElement root, bool canFetch)
    {
        var count = root.GetArrayLength();
        if (count == 0 || count > options.Value.MaxEventsPerRequest)
        {
            return ParseOutcome.Invalid("body", $"Expected 1 to {options.Value.MaxEventsPerRequest} events.");
        }

        var errors = new ValidationErrors();
        var events = new List<IncomingEvent>(count);
        var index = 0;
        foreach (var element in root.EnumerateArray())
        {
            var path = $"[{index++}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, "Must be an event object.");
                continue;
            }

            var type = PlatformEvents.Text(element, "subscriptionType") ?? PlatformEvents.Text(element, "eventType");
            var objectId = PlatformEvents.Text(element, "objectId");
            var occurredAt = PlatformEvents.EpochMilliseconds(PlatformEvents.Text(element, "occurredAt"));
            var eventId = PlatformEvents.Text(element, "eventId");
            if (type is null)
            {
                errors.Add(path + ".subscriptionType", "Required.");
            }

            if (objectId is null)
            {
                errors.Add(path + ".objectId", "Required.");
            }

            if (occurredAt is null)
            {
                errors.Add(path + ".occurredAt", "Required, Unix epoch milliseconds.");
            }

            if (eventId is null)
            {
                errors.Add(path + ".eventId", "Required.");
            }

            if (type is null || objectId is null || occurredAt is null || eventId is null)
            {
                continue;
            }

            // eventId alone is not unique: with the portal, subscription and time it identifies one delivery's event
            // (a retry keeps them, only attemptNumber changes).
            var id = string.Join('-', PlatformEvents.Text(element, "portalId"), PlatformEvents.Text(element, "subscriptionId"), eventId, occurredAt.Value.ToUnixTimeMilliseconds());
            var mapped = MapAppEvent(id, type, objectId, occurredAt.Value, element);
            var idOnly = mapped.UnmappedType is null && mapped.Event.Contact.Email is null && mapped.Event.Contact.ExternalIds.Count == 1;
            events.Add(canFetch && idOnly ? mapped with { FetchObjectId = objectId } : mapped);
        }

        return errors.Any ? ParseOutcome.Invalid(errors.ToDictionary()) : ParseOutcome.Parsed(events);
    }

    private static IncomingEvent MapAppEvent(string id, string type, string objectId, DateTimeOffset occurredAt, JsonElement element)
    {
        var payload = element.GetRawText();
        var isContact = type.StartsWith("contact.", StringComparison.OrdinalIgnoreCase);
        var contact = new ContactBuilder();
        if (isContact)
        {
            contact.ExternalId(HubSpotProperties.System, objectId);
        }

        switch (type.ToLowerInvariant())
        {
            case "contact.creation":
                return PlatformEvents.Mapped(id, EventType.LeadCreated, occurredAt, contact.Build(), null, payload);
            case "contact.propertychange":
                var property = PlatformEvents.Text(element, "propertyName") ?? string.Empty;
                var value = PlatformEvents.Text(element, "propertyValue");
                HubSpotProperties.Apply(contact, property, value);
                var canonical = HubSpotProperties.IsScore(property) ? EventType.ScoreChanged
                    : HubSpotProperties.IsStage(property) ? EventType.StageChanged
                    : EventType.LeadUpdated;
                return PlatformEvents.Mapped(id, canonical, occurredAt, contact.Build(), null, payload);
            case "contact.privacydeletion":
                // A GDPR delete: kept on the timeline (it holds only ids) and the person's data erased in its transaction.
                return PlatformEvents.Unmapped(id, "hubspot:" + type, occurredAt, contact.Build(), payload) with { ErasesPersonalData = true };
            default:
                // merge, deletion, restore, associationChange, other objects: kept on the timeline, not interpreted. A
                // plain deletion is not a privacy request: the lead and its history stay for reports and for the CRM.
                return PlatformEvents.Unmapped(id, "hubspot:" + type, occurredAt, contact.Build(), payload);
        }
    }

    private static ParseOutcome ParseWorkflowContact(JsonElement root, WebhookRequest request)
    {
        var properties = root.TryGetProperty("properties", out var bag) && bag.ValueKind == JsonValueKind.Object ? bag : root;
        var id = PlatformEvents.Text(root, "canonical-vid") ?? PlatformEvents.Text(root, "vid") ?? PlatformEvents.Text(root, "objectId")
            ?? PlatformEvents.Text(root, "hs_object_id") ?? HubSpotProperties.Value(properties, "hs_object_id");
        var contact = new ContactBuilder().ExternalId(HubSpotProperties.System, id);
        HubSpotProperties.ApplyAll(contact, properties);
        if (!contact.HasIdentity)
        {
            return ParseOutcome.Invalid("vid", "A workflow webhook must carry the contact's id (vid, objectId or hs_object_id) or its email property.");
        }

        var modified = HubSpotProperties.Value(properties, "lastmodifieddate");
        var occurredAt = PlatformEvents.EpochMilliseconds(modified) ?? PlatformEvents.Time(modified)
            ?? (HubSpotSignature.TryParseTimestamp(request.Headers[HubSpotSignature.TimestampHeader], out var at) ? at : request.ReceivedAt);
        return ParseOutcome.Parsed([PlatformEvents.Mapped(
            "workflow-" + PlatformEvents.BodyHash(request.Body.Span), EventType.LeadUpdated, occurredAt, contact.Build(), null, root.GetRawText())]);
    }
}
