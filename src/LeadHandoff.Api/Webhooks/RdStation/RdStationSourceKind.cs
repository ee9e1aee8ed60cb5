using System.Text.Json;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Sources;
using LeadHandoff.Domain.Events;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Webhooks.RdStation;

/// RD Station Marketing webhooks: <c>WEBHOOK.CONVERTED</c> / <c>WEBHOOK.MARKED_OPPORTUNITY</c> contact payloads, and
/// the older <c>{ "leads": [ … ] }</c> form. RD Station signs nothing: the secret travels in a header or the URL.
internal sealed class RdStationSourceKind(IOptions<WebhookOptions> options) : ISourceKind
{
    public const string DefaultTokenHeader = "X-Webhook-Token";
    public const string System = "rdstation";

    public string Name => "rdstation";

    public IReadOnlyList<string> MediaTypes { get; } = ["application/json"];

    public byte[] DecodeSecret(string secret) => SharedSecret.Decode(secret);

    // RD Station's webhook form takes a URL only, so the URL token is always accepted.
    public SignatureCheck Verify(WebhookRequest request, IReadOnlyList<byte[]> keys, DateTimeOffset now) =>
        SharedSecret.Check(request, keys, request.Settings.TokenHeader ?? DefaultTokenHeader, allowQuery: true);

    public ParseOutcome Parse(WebhookRequest request)
    {
        using var document = PlatformEvents.ParseJson(request.Body, out var malformed);
        if (document is null)
        {
            return malformed!;
        }

        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("leads", out var leads))
        {
            return ParseLeads(leads, request);
        }

        if (root.ValueKind != JsonValueKind.Object || PlatformEvents.Text(root, "event_type") is not { } eventType)
        {
            return ParseOutcome.Invalid("event_type", "Expected an RD Station webhook: { \"event_type\": \"WEBHOOK.CONVERTED\", \"contact\": { … } } or { \"leads\": [ … ] }.");
        }

        if (!root.TryGetProperty("contact", out var contactElement) || contactElement.ValueKind != JsonValueKind.Object)
        {
            return ParseOutcome.Invalid("contact", "Required, the contact object.");
        }

        var contact = ReadContact(contactElement);
        if (!contact.IsEmailValid)
        {
            return ParseOutcome.Invalid("contact.email", "Not a valid email address.");
        }

        if (!contact.HasIdentity)
        {
            return ParseOutcome.Invalid("contact.email", "An email or uuid is required to identify the contact.");
        }

        var occurredAt = PlatformEvents.Time(PlatformEvents.Text(root, "event_timestamp"))
            ?? PlatformEvents.Time(PlatformEvents.Text(root, "timestamp")) ?? request.ReceivedAt;
        var identifier = PlatformEvents.Text(root, "event_identifier");
        var eventId = string.Join('-', eventType, PlatformEvents.Text(contactElement, "uuid") ?? contact.Email, identifier,
            occurredAt.ToUnixTimeMilliseconds());
        var payload = root.GetRawText();
        IncomingEvent mapped = eventType switch
        {
            "WEBHOOK.CONVERTED" => PlatformEvents.Mapped(eventId, EventType.FormSubmitted, occurredAt, contact.Build(),
                PlatformEvents.Interaction("form", identifier, campaign: PlatformEvents.TextAt(contactElement, "funnel.origin")), payload),
            "WEBHOOK.MARKED_OPPORTUNITY" => PlatformEvents.Mapped(eventId, EventType.StageChanged, occurredAt,
                contact.Custom("rdstation.opportunity", "true").Build(), null, payload),
            _ => PlatformEvents.Unmapped(eventId, eventType, occurredAt, contact.Build(), payload),
        };
        return ParseOutcome.Parsed([mapped]);
    }

    private ParseOutcome ParseLeads(JsonElement leads, WebhookRequest request)
    {
        if (leads.ValueKind != JsonValueKind.Array || leads.GetArrayLength() == 0 || leads.GetArrayLength() > options.Value.MaxEventsPerRequest)
        {
            return ParseOutcome.Invalid("leads", $"Must be a list of 1 to {options.Value.MaxEventsPerRequest} leads.");
        }

        var errors = new ValidationErrors();
        var events = new List<IncomingEvent>();
        var index = 0;
        foreach (var lead in leads.EnumerateArray())
        {
            var path = $"leads[{index++}]";
            if (lead.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, "Must be a lead object.");
                continue;
            }

            var contact = ReadContact(lead).ExternalId(System, PlatformEvents.Text(lead, "uuid") ?? PlatformEvents.Text(lead, "id"));
            if (!contact.IsEmailValid || !contact.HasIdentity)
            {
                errors.Add(path + ".email", "A valid email (or an id) is required.");
                continue;
            }

            var conversion = lead.TryGetProperty("last_conversion", out var last) ? last : default;
            var identifier = PlatformEvents.TextAt(conversion, "content.identificador") ?? PlatformEvents.Text(conversion, "identificador");
            var occurredAt = PlatformEvents.Time(PlatformEvents.Text(conversion, "created_at"))
                ?? PlatformEvents.Time(PlatformEvents.Text(lead, "last_marked_opportunity_date"))
                ?? PlatformEvents.Time(PlatformEvents.Text(lead, "created_at")) ?? request.ReceivedAt;
            var eventId = string.Join('-', "lead", PlatformEvents.Text(lead, "id") ?? contact.Email, PlatformEvents.Text(lead, "number_conversions"),
                occurredAt.ToUnixTimeMilliseconds());
            events.Add(identifier is null
                ? PlatformEvents.Mapped(eventId, EventType.LeadUpdated, occurredAt, contact.Build(), null, lead.GetRawText())
                : PlatformEvents.Mapped(eventId, EventType.FormSubmitted, occurredAt, contact.Build(),
                    PlatformEvents.Interaction("form", identifier, campaign: PlatformEvents.TextAt(conversion, "source")), lead.GetRawText()));
        }

        return errors.Any ? ParseOutcome.Invalid(errors.ToDictionary()) : ParseOutcome.Parsed(events);
    }

    private static ContactBuilder ReadContact(JsonElement contact)
    {
        var builder = new ContactBuilder().ExternalId(System, PlatformEvents.Text(contact, "uuid"));
        builder.Set("email", PlatformEvents.Text(contact, "email"));
        builder.Set("name", PlatformEvents.Text(contact, "name"));
        builder.Set("jobTitle", PlatformEvents.Text(contact, "job_title"));
        builder.Set("website", PlatformEvents.Text(contact, "website"));
        builder.Set("phone", PlatformEvents.Text(contact, "mobile_phone") ?? PlatformEvents.Text(contact, "personal_phone"));
        builder.Set("company", PlatformEvents.TextAt(contact, "company.name") ?? PlatformEvents.Text(contact, "company"));
        builder.Set("country", PlatformEvents.Text(contact, "country"));
        builder.Custom("city", PlatformEvents.Text(contact, "city"));
        builder.Custom("state", PlatformEvents.Text(contact, "state"));

        // RD Station's lead scoring: interest is engagement (0–100) and becomes the score; fit and stage are kept.
        var funnel = contact.TryGetProperty("funnel", out var f) ? f : default;
        builder.Score = PlatformEvents.Number(PlatformEvents.Text(funnel, "interest") ?? PlatformEvents.Text(contact, "interest"));
        builder.Custom("rdstation.fit", PlatformEvents.Text(funnel, "fit") ?? PlatformEvents.Text(contact, "fit_score"));
        builder.Custom("rdstation.lifecycleStage", PlatformEvents.Text(funnel, "lifecycle_stage") ?? PlatformEvents.Text(contact, "lead_stage"));
        if (contact.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array)
        {
            builder.Custom("tags", string.Join(", ", tags.EnumerateArray().Select(PlatformEvents.Text).OfType<string>()));
        }

        foreach (var property in contact.EnumerateObject())
        {
            if (property.Name.StartsWith("cf_", StringComparison.Ordinal))
            {
                builder.Custom(property.Name, Flatten(property.Value));
            }
        }

        if (contact.TryGetProperty("custom_fields", out var customFields) && customFields.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in customFields.EnumerateObject())
            {
                builder.Custom(property.Name, Flatten(property.Value));
            }
        }

        return builder;
    }

    private static string? Flatten(JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? string.Join(", ", value.EnumerateArray().Select(PlatformEvents.Text).OfType<string>())
        : PlatformEvents.Text(value);
}
