using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Sources;
using LeadHandoff.Domain.Events;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Webhooks.Mautic;

/// Mautic webhooks: one body holding several event types at once (<c>{ "mautic.lead_post_save_new": [ … ], … }</c>),
/// signed with <c>Webhook-Signature</c> = base64 HMAC-SHA256 of the raw body.
internal sealed class MauticSourceKind(IOptions<WebhookOptions> options) : ISourceKind
{
    public const string SignatureHeader = "Webhook-Signature";
    public const string System = "mautic";

    public string Name => "mautic";

    public IReadOnlyList<string> MediaTypes { get; } = ["application/json"];

    public byte[] DecodeSecret(string secret) => SharedSecret.Decode(secret);

    public SignatureCheck Verify(WebhookRequest request, IReadOnlyList<byte[]> keys, DateTimeOffset now)
    {
        string? signature = request.Headers[SignatureHeader];
        if (string.IsNullOrEmpty(signature))
        {
            return SignatureCheck.Invalid($"The {SignatureHeader} header is required.");
        }

        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!Convert.TryFromBase64String(signature.Trim(), presented, out var written) || written != presented.Length)
        {
            return SignatureCheck.Invalid($"{SignatureHeader} must be a base64 HMAC-SHA256.");
        }

        // The raw bytes: PHP's json_encode escapes '/' as '\/', so a re-serialized body would never match.
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var matched = false;
        foreach (var key in keys)
        {
            HMACSHA256.HashData(key, request.Body.Span, expected);
            matched |= CryptographicOperations.FixedTimeEquals(expected, presented);
        }

        return matched ? SignatureCheck.Valid : SignatureCheck.Invalid($"{SignatureHeader} does not match the body with any configured secret.");
    }

    public ParseOutcome Parse(WebhookRequest request)
    {
        using var document = PlatformEvents.ParseJson(request.Body, out var malformed);
        if (document is null)
        {
            return malformed!;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ParseOutcome.Invalid("body", "Expected an object keyed by Mautic event type (e.g. \"mautic.lead_post_save_new\"), each a list.");
        }

        var errors = new ValidationErrors();
        var events = new List<IncomingEvent>();
        foreach (var group in root.EnumerateObject())
        {
            // Mautic adds a top-level "timestamp" beside the event lists.
            if (!group.Name.StartsWith("mautic.", StringComparison.Ordinal))
            {
                continue;
            }

            if (group.Value.ValueKind != JsonValueKind.Array)
            {
                errors.Add(group.Name, "Must be a list of events.");
                continue;
            }

            var index = 0;
            foreach (var item in group.Value.EnumerateArray())
            {
                var path = $"{group.Name}[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(path, "Must be an event object.");
                    continue;
                }

                var mapped = Map(group.Name, item, path, request, errors);
                if (mapped is not null)
                {
                    events.Add(mapped);
                }
            }
        }

        if (!errors.Any && events.Count == 0)
        {
            errors.Add("body", "No Mautic event lists (keys starting with \"mautic.\") in the body.");
        }

        if (events.Count > options.Value.MaxEventsPerRequest)
        {
            errors.Add("body", $"At most {options.Value.MaxEventsPerRequest} events per request.");
        }

        return errors.Any ? ParseOutcome.Invalid(errors.ToDictionary()) : ParseOutcome.Parsed(events);
    }

    private static IncomingEvent? Map(string type, JsonElement item, string path, WebhookRequest request, ValidationErrors errors)
    {
        // Where the contact sits and what identifies the event differ per event type.
        var (holder, leadProperty, idProperty, dateProperty) = type switch
        {
            "mautic.form_on_submit" => (Child(item, "submission"), "lead", "id", "dateSubmitted"),
            "mautic.email_on_open" => (Child(item, "stat"), "lead", "id", "dateRead"),
            "mautic.page_on_hit" => (Child(item, "hit"), "lead", "id", "dateHit"),
            _ => (item, "contact", (string?)null, (string?)null),
        };
        var lead = Child(holder, leadProperty);
        if (lead.ValueKind != JsonValueKind.Object)
        {
            lead = Child(item, "contact").ValueKind == JsonValueKind.Object ? Child(item, "contact") : Child(item, "lead");
        }

        var contact = ReadContact(lead);
        if (type == "mautic.lead_points_change" && PlatformEvents.Number(PlatformEvents.TextAt(item, "points.new_points")) is { } points)
        {
            contact.Score = points;
        }

        if (!contact.IsEmailValid)
        {
            errors.Add(path + ".contact.email", "Not a valid email address.");
            return null;
        }

        var occurredAt = PlatformEvents.Time(PlatformEvents.Text(item, "timestamp"))
            ?? (dateProperty is null ? null : PlatformEvents.Time(PlatformEvents.Text(holder, dateProperty)))
            ?? PlatformEvents.Time(PlatformEvents.Text(lead, "dateModified"))
            ?? request.ReceivedAt;
        var contactId = PlatformEvents.Text(lead, "id");
        var ownId = idProperty is null ? null : PlatformEvents.Text(holder, idProperty);
        var eventId = ownId is not null
            ? $"{type}-{ownId}"
            : $"{type}-{contactId}-{occurredAt.ToUnixTimeSeconds()}-{PlatformEvents.TextAt(item, "points.new_points")}";
        var payload = item.GetRawText();
        var built = contact.Build();

        switch (type)
        {
            case "mautic.lead_post_save_new":
                return PlatformEvents.Mapped(eventId, EventType.LeadCreated, occurredAt, built, null, payload);
            case "mautic.lead_post_save_update":
                return PlatformEvents.Mapped(eventId, EventType.LeadUpdated, occurredAt, built, null, payload);
            case "mautic.lead_points_change":
                return PlatformEvents.Mapped(eventId, EventType.ScoreChanged, occurredAt, built, null, payload);
            case "mautic.form_on_submit":
                return PlatformEvents.Mapped(eventId, EventType.FormSubmitted, occurredAt, built,
                    PlatformEvents.Interaction("form", PlatformEvents.TextAt(holder, "form.name"), PlatformEvents.Text(holder, "referer")), payload);
            case "mautic.email_on_open":
                return PlatformEvents.Mapped(eventId, EventType.EmailOpened, occurredAt, built,
                    PlatformEvents.Interaction("email", PlatformEvents.TextAt(holder, "email.name") ?? PlatformEvents.TextAt(holder, "email.subject")), payload);
            case "mautic.page_on_hit":
                return PlatformEvents.Mapped(eventId, EventType.PageViewed, occurredAt, built,
                    PlatformEvents.Interaction("web", PlatformEvents.TextAt(holder, "page.title"), PlatformEvents.Text(holder, "url")), payload);
            default:
                if (!built.ExternalIds.Any() && built.Email is null)
                {
                    // Not about one contact (e.g. a test ping): kept without a lead.
                    return PlatformEvents.Unmapped($"{type}-{PlatformEvents.BodyHash(Encoding.UTF8.GetBytes(payload))}", type, occurredAt, built, payload);
                }

                return PlatformEvents.Unmapped(eventId, type, occurredAt, built, payload);
        }
    }

    private static readonly Dictionary<string, string> Canonical = new(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = "email",
        ["firstname"] = "firstName",
        ["lastname"] = "lastName",
        ["phone"] = "phone",
        ["mobile"] = "phone",
        ["company"] = "company",
        ["position"] = "jobTitle",
        ["website"] = "website",
        ["country"] = "country",
    };

    // Mautic's own bookkeeping and location details; everything else (custom fields included) is kept.
    private static readonly HashSet<string> Ignored = new(StringComparer.OrdinalIgnoreCase)
    {
        "title", "timezone", "timezone1", "preferred_locale", "attribution", "attribution_date", "address1", "address2",
        "city", "state", "zipcode", "fax", "facebook", "foursquare", "instagram", "linkedin", "skype", "twitter",
    };

    /// Contact fields are under <c>fields.all.alias</c> (flat) or <c>fields.{group}.{alias}.value</c>.
    private static ContactBuilder ReadContact(JsonElement lead)
    {
        var contact = new ContactBuilder().ExternalId(System, PlatformEvents.Text(lead, "id"));
        contact.Score = PlatformEvents.Number(PlatformEvents.Text(lead, "points"));
        var fields = Child(lead, "fields");
        var all = Child(fields, "all");
        if (all.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in all.EnumerateObject())
            {
                ApplyField(contact, field.Name, PlatformEvents.Text(field.Value));
            }
        }
        else if (fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var group in fields.EnumerateObject())
            {
                if (group.Value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var field in group.Value.EnumerateObject())
                {
                    ApplyField(contact, field.Name, PlatformEvents.Text(field.Value, "value"));
                }
            }
        }

        if (PlatformEvents.TextAt(lead, "stage.name") is { } stage)
        {
            contact.Custom("mautic.stage", stage);
        }

        return contact;
    }

    private static void ApplyField(ContactBuilder contact, string alias, string? value)
    {
        if (value is null || Ignored.Contains(alias))
        {
            return;
        }

        if (Canonical.TryGetValue(alias, out var field))
        {
            // The landline wins over the mobile when both are sent, whatever their order.
            if (!(alias.Equals("mobile", StringComparison.OrdinalIgnoreCase) && contact.Phone is not null))
            {
                contact.Set(field, value);
            }

            return;
        }

        contact.Custom(alias, value);
    }

    private static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;
}
