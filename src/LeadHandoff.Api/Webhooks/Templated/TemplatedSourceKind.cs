using System.Text.Json;
using LeadHandoff.Api.Sources;
using LeadHandoff.Domain.Events;

namespace LeadHandoff.Api.Webhooks.Templated;

/// Platforms whose webhook body is a template the customer writes (Marketo's "Call Webhook", Account Engagement's
/// external actions): the JSON field names come from a per-source mapping (<c>Fields</c>), over a default that
/// matches the platform's common token names. Authenticated by a shared-secret header.
internal sealed class TemplatedSourceKind(string name, string system, IReadOnlyDictionary<string, string> defaults) : ISourceKind
{
    public const string DefaultTokenHeader = "X-Webhook-Token";

    /// Mapping keys beyond the lead's fields.
    private static readonly string[] EventFields = ["eventId", "type", "occurredAt", "externalId", "campaign", "interaction"];

    public static TemplatedSourceKind Marketo() => new("marketo", "marketo", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["type"] = "event",
        ["occurredAt"] = "sentAt",
        ["externalId"] = "leadId",
        ["email"] = "email",
        ["firstName"] = "firstName",
        ["lastName"] = "lastName",
        ["company"] = "company",
        ["jobTitle"] = "jobTitle",
        ["phone"] = "phone",
        ["country"] = "country",
        ["score"] = "leadScore",
        ["campaign"] = "campaignName",
        ["interaction"] = "programName",
    });

    public static TemplatedSourceKind Pardot() => new("pardot", "pardot", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["type"] = "event",
        ["occurredAt"] = "prospect.last_activity_at",
        ["externalId"] = "prospect.id",
        ["email"] = "prospect.email",
        ["firstName"] = "prospect.first_name",
        ["lastName"] = "prospect.last_name",
        ["company"] = "prospect.company",
        ["jobTitle"] = "prospect.job_title",
        ["phone"] = "prospect.phone",
        ["country"] = "prospect.country",
        ["industry"] = "prospect.industry",
        ["website"] = "prospect.website",
        ["score"] = "prospect.score",
        ["campaign"] = "prospect.campaign_id",
    });

    public string Name => name;

    public IReadOnlyList<string> MediaTypes { get; } = ["application/json"];

    public IReadOnlyDictionary<string, string> Defaults => defaults;

    public byte[] DecodeSecret(string secret) => SharedSecret.Decode(secret);

    public IEnumerable<string> ValidateOptions(string where, SourceOptions options)
    {
        foreach (var (field, path) in options.Fields)
        {
            if (!EventFields.Contains(field, StringComparer.OrdinalIgnoreCase) && !new ContactBuilder().Set(field, null))
            {
                yield return $"{where}:Fields:{field} is not a mappable field ({string.Join(", ", EventFields)}, or a lead field such as email, jobTitle, score).";
            }
            else if (string.IsNullOrWhiteSpace(path))
            {
                yield return $"{where}:Fields:{field} must be a JSON path such as \"prospect.email\".";
            }
        }

        if (options.TimeZone is { Length: > 0 } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            yield return $"{where}:TimeZone '{zone}' is not a known time zone id (e.g. America/Chicago).";
        }
    }

    public SignatureCheck Verify(WebhookRequest request, IReadOnlyList<byte[]> keys, DateTimeOffset now) =>
        SharedSecret.Check(request, keys, request.Settings.TokenHeader ?? DefaultTokenHeader, request.Settings.AllowQueryToken);

    public ParseOutcome Parse(WebhookRequest request)
    {
        using var document = PlatformEvents.ParseJson(request.Body, out var malformed, " (does the template quote string tokens twice?)");
        if (document is null)
        {
            return malformed!;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ParseOutcome.Invalid("body", "Expected a JSON object rendered from the webhook template.");
        }

        var mapping = new Dictionary<string, string>(defaults, StringComparer.OrdinalIgnoreCase);
        foreach (var (field, path) in request.Settings.Fields)
        {
            mapping[field] = path;
        }

        string? At(string field) => mapping.TryGetValue(field, out var path) ? PlatformEvents.TextAt(root, path) : null;

        var contact = new ContactBuilder().ExternalId(system, At("externalId"));
        foreach (var (field, _) in mapping)
        {
            if (!EventFields.Contains(field, StringComparer.OrdinalIgnoreCase))
            {
                contact.Set(field, At(field));
            }
        }

        AddUnmappedFields(root, mapping, contact);
        if (!contact.IsEmailValid)
        {
            return ParseOutcome.Invalid(mapping["email"], "Not a valid email address.");
        }

        if (!contact.HasIdentity)
        {
            return ParseOutcome.Invalid(mapping.GetValueOrDefault("email", "email"), "An email or the lead's id is required.");
        }

        var zone = request.Settings.TimeZone is { Length: > 0 } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : TimeZoneInfo.Utc;
        var occurredAtText = At("occurredAt");
        var occurredAt = PlatformEvents.Time(occurredAtText, zone);
        if (occurredAtText is not null && occurredAt is null)
        {
            return ParseOutcome.Invalid(mapping["occurredAt"], "Not a date-time.");
        }

        // The template's own event name is kept; a canonical type name is honoured, anything else is the lead's
        // current state, i.e. an update.
        var platformType = At("type");
        if (!EventTypes.TryParse(platformType, out var type))
        {
            type = EventType.LeadUpdated;
            contact.Custom(system + ".event", platformType);
        }

        var campaign = At("campaign");
        var interactionName = At("interaction");
        var interaction = campaign is null && interactionName is null ? null : PlatformEvents.Interaction(system, interactionName, campaign: campaign);
        var eventId = At("eventId") ?? PlatformEvents.BodyHash(request.Body.Span);
        return ParseOutcome.Parsed([PlatformEvents.Mapped(eventId, type, occurredAt ?? request.ReceivedAt, contact.Build(), interaction, root.GetRawText())]);
    }

    /// Scalars beside the lead's email that the mapping does not claim (lead status, grade, …) stay as custom fields.
    private static void AddUnmappedFields(JsonElement root, Dictionary<string, string> mapping, ContactBuilder contact)
    {
        var emailPath = mapping.GetValueOrDefault("email", "email");
        var parentPath = emailPath.Contains('.', StringComparison.Ordinal) ? emailPath[..emailPath.LastIndexOf('.')] : null;
        var parent = root;
        if (parentPath is not null)
        {
            foreach (var part in parentPath.Split('.'))
            {
                if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(part, out parent))
                {
                    return;
                }
            }
        }

        if (parent.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var claimed = new HashSet<string>(mapping.Values, StringComparer.Ordinal);
        foreach (var property in parent.EnumerateObject())
        {
            var path = parentPath is null ? property.Name : parentPath + "." + property.Name;
            if (!claimed.Contains(path) && !property.Name.StartsWith('_') && PlatformEvents.Text(property.Value) is { } value)
            {
                contact.Custom(property.Name, value);
            }
        }
    }
}
