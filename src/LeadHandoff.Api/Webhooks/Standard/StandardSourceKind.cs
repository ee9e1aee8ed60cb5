using System.Globalization;
using System.Text.Json;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Sources;
using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Leads;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Webhooks.Standard;

/// The canonical signed JSON of DESIGN.md: one event, or <c>{ "events": [ ... ] }</c>.
internal sealed class StandardSourceKind(IOptions<WebhookOptions> options) : ISourceKind
{
    private const int MaxIdLength = 200;
    private const int MaxSystemLength = 50;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public string Name => "standard";

    public IReadOnlyList<string> MediaTypes { get; } = ["application/json"];

    public byte[] DecodeSecret(string secret) => StandardWebhookSignature.DecodeSecret(secret);

    public SignatureCheck Verify(WebhookRequest request, IReadOnlyList<byte[]> keys, DateTimeOffset now)
    {
        string? id = request.Headers[StandardWebhookSignature.IdHeader];
        string? timestamp = request.Headers[StandardWebhookSignature.TimestampHeader];
        string? signature = request.Headers[StandardWebhookSignature.SignatureHeader];
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return SignatureCheck.Invalid("The webhook-id, webhook-timestamp and webhook-signature headers are required.");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return SignatureCheck.Invalid("webhook-timestamp must be Unix seconds.");
        }

        var tolerance = options.Value.TimestampTolerance;
        var skew = now - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799));
        if (skew.Duration() > tolerance)
        {
            return SignatureCheck.Invalid($"webhook-timestamp is more than {tolerance.TotalMinutes:F0} minutes away from the server's clock.");
        }

        return StandardWebhookSignature.Matches(keys, id, timestamp, request.Body.Span, signature)
            ? SignatureCheck.Valid
            : SignatureCheck.Invalid("No webhook-signature matches the body with any configured secret.");
    }

    public ParseOutcome Parse(WebhookRequest request)
    {
        var errors = new ValidationErrors();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.Body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            errors.Add("body", $"Malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}.");
            return ParseOutcome.Invalid(errors.ToDictionary());
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add("body", "Expected one event object or { \"events\": [ ... ] }.");
                return ParseOutcome.Invalid(errors.ToDictionary());
            }

            string? webhookId = request.Headers[StandardWebhookSignature.IdHeader];
            if (root.TryGetProperty("events", out var batch))
            {
                if (batch.ValueKind != JsonValueKind.Array || batch.GetArrayLength() == 0)
                {
                    errors.Add("events", "Must be a non-empty array of events.");
                    return ParseOutcome.Invalid(errors.ToDictionary());
                }

                var max = options.Value.MaxEventsPerRequest;
                if (batch.GetArrayLength() > max)
                {
                    errors.Add("events", $"At most {max} events per request.");
                    return ParseOutcome.Invalid(errors.ToDictionary());
                }

                var events = new List<IncomingEvent>(batch.GetArrayLength());
                var index = 0;
                foreach (var element in batch.EnumerateArray())
                {
                    var parsed = ParseEvent(element, $"events[{index}].", $"{webhookId}:{index}", errors);
                    if (parsed is not null)
                    {
                        events.Add(parsed);
                    }

                    index++;
                }

                return errors.Any ? ParseOutcome.Invalid(errors.ToDictionary()) : ParseOutcome.Parsed(events);
            }

            var single = ParseEvent(root, string.Empty, webhookId ?? string.Empty, errors);
            return errors.Any || single is null ? ParseOutcome.Invalid(errors.ToDictionary()) : ParseOutcome.Parsed([single]);
        }
    }

    private static IncomingEvent? ParseEvent(JsonElement element, string path, string fallbackId, ValidationErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.TrimEnd('.'), "Must be an event object.");
            return null;
        }

        var before = errors.Count;
        var eventId = OptionalString(element, "eventId", path, errors, MaxIdLength) ?? fallbackId;
        if (string.IsNullOrEmpty(eventId))
        {
            errors.Add(path + "eventId", "Required (or send a webhook-id header).");
        }
        else if (eventId.Length > MaxIdLength)
        {
            errors.Add(path + "eventId", $"The webhook-id header is used as the event id and must be at most {MaxIdLength} characters.");
        }

        var typeName = OptionalString(element, "type", path, errors);
        if (!EventTypes.TryParse(typeName, out var type))
        {
            errors.Add(path + "type", typeName is null
                ? "Required."
                : $"'{typeName}' is not one of {string.Join(", ", EventTypes.All)}.");
        }

        var occurredAt = default(DateTimeOffset);
        if (!element.TryGetProperty("occurredAt", out var at) || at.ValueKind != JsonValueKind.String
            || !HasOffset(at.GetString()!) || !at.TryGetDateTimeOffset(out occurredAt))
        {
            errors.Add(path + "occurredAt", "Required, an ISO 8601 date-time with an offset (e.g. 2026-11-20T14:03:00Z).");
        }

        ContactData? contact = null;
        if (!element.TryGetProperty("lead", out var lead) || lead.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path + "lead", "Required, an object with at least an email or an external id.");
        }
        else
        {
            contact = ParseContact(lead, path + "lead.", errors);
        }

        InteractionData? interaction = null;
        if (element.TryGetProperty("interaction", out var touched) && touched.ValueKind != JsonValueKind.Null)
        {
            interaction = ParseInteraction(touched, path + "interaction.", errors);
        }

        if (errors.Count > before || contact is null)
        {
            return null;
        }

        return new IncomingEvent(
            new LeadEvent(eventId, type, occurredAt.ToUniversalTime(), contact, interaction),
            element.GetRawText());
    }

    /// Without Z or an offset a time would be read in the server's own time zone: reject it rather than guess.
    private static bool HasOffset(string value)
    {
        var time = value.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        if (time < 0)
        {
            return false;
        }

        var tail = value.AsSpan(time);
        return tail.EndsWith("Z", StringComparison.OrdinalIgnoreCase) || tail.LastIndexOfAny('+', '-') > 0;
    }

    private static ContactData ParseContact(JsonElement lead, string path, ValidationErrors errors)
    {
        var email = OptionalString(lead, "email", path, errors, 320);
        if (email is not null && !EmailAddress.IsPlausible(email.Trim()))
        {
            errors.Add(path + "email", "Not a valid email address.");
        }

        var externalIds = StringMap(lead, "externalIds", path, errors);
        foreach (var (system, value) in externalIds)
        {
            if (system.Length > MaxSystemLength || value.Length > MaxIdLength)
            {
                errors.Add($"{path}externalIds.{system[..Math.Min(system.Length, MaxSystemLength)]}", $"System names are at most {MaxSystemLength} characters and ids at most {MaxIdLength}.");
            }
        }
        if (string.IsNullOrWhiteSpace(email) && externalIds.Count == 0)
        {
            errors.Add(path + "email", "An email or at least one external id is required to identify the lead.");
        }

        var companySize = OptionalInt(lead, "companySize", path, errors);
        if (companySize < 0)
        {
            errors.Add(path + "companySize", "Must not be negative.");
        }

        return new ContactData(
            email,
            OptionalString(lead, "firstName", path, errors),
            OptionalString(lead, "lastName", path, errors),
            OptionalString(lead, "phone", path, errors),
            OptionalString(lead, "company", path, errors),
            OptionalString(lead, "jobTitle", path, errors),
            companySize,
            OptionalString(lead, "website", path, errors),
            OptionalString(lead, "country", path, errors),
            OptionalString(lead, "industry", path, errors),
            OptionalInt(lead, "score", path, errors),
            externalIds,
            StringMap(lead, "customFields", path, errors));
    }

    private static InteractionData? ParseInteraction(JsonElement touched, string path, ValidationErrors errors)
    {
        if (touched.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.TrimEnd('.'), "Must be an object.");
            return null;
        }

        var topics = new List<string>();
        if (touched.TryGetProperty("topics", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                errors.Add(path + "topics", "Must be an array of strings.");
            }
            else
            {
                foreach (var topic in list.EnumerateArray())
                {
                    if (topic.ValueKind == JsonValueKind.String)
                    {
                        topics.Add(topic.GetString()!);
                    }
                    else
                    {
                        errors.Add(path + "topics", "Must be an array of strings.");
                        break;
                    }
                }
            }
        }

        return new InteractionData(
            OptionalString(touched, "channel", path, errors),
            OptionalString(touched, "name", path, errors),
            OptionalString(touched, "url", path, errors, 2048),
            OptionalString(touched, "campaign", path, errors),
            topics);
    }

    private static string? OptionalString(JsonElement element, string name, string path, ValidationErrors errors, int maxLength = 500)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(path + name, "Must be a string.");
            return null;
        }

        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            errors.Add(path + name, $"At most {maxLength} characters.");
            return null;
        }

        return text.Length == 0 ? null : text;
    }

    private static int? OptionalInt(JsonElement element, string name, string path, ValidationErrors errors)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        errors.Add(path + name, "Must be a whole number.");
        return null;
    }

    /// Values may be strings, numbers or booleans (platforms send ids and custom fields as either); all are kept as text.
    private static Dictionary<string, string> StringMap(JsonElement element, string name, string path, ValidationErrors errors)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return map;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path + name, "Must be an object of names to values.");
            return map;
        }

        foreach (var property in value.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    map[property.Name] = property.Value.GetString()!;
                    break;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    map[property.Name] = property.Value.GetRawText();
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    errors.Add($"{path}{name}.{property.Name}", "Must be a string, number or boolean.");
                    break;
            }
        }

        return map;
    }
}
