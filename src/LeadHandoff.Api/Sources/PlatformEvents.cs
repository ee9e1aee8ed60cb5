using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Leads;

namespace LeadHandoff.Api.Sources;

/// What the platform kinds share to turn their payloads into canonical events.
internal static class PlatformEvents
{
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// The body as JSON, or the 400 outcome saying where it breaks (<paramref name="hint"/> adds a likely cause).
    public static JsonDocument? ParseJson(ReadOnlyMemory<byte> body, out ParseOutcome? malformed, string hint = "")
    {
        try
        {
            malformed = null;
            return JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            malformed = ParseOutcome.Invalid("body", $"Malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}{hint}.");
            return null;
        }
    }

    /// For platforms that send no event id: the same bytes redelivered are the same event.
    public static string BodyHash(ReadOnlySpan<byte> body) => "sha256-" + Convert.ToHexStringLower(SHA256.HashData(body));

    public static IncomingEvent Mapped(string eventId, EventType type, DateTimeOffset occurredAt, ContactData contact, InteractionData? interaction, string payload) =>
        new(new LeadEvent(eventId, type, occurredAt.ToUniversalTime(), contact, interaction), payload);

    /// An event of the platform's that has no canonical meaning: kept as a raw interaction, never qualified on.
    public static IncomingEvent Unmapped(string eventId, string platformType, DateTimeOffset occurredAt, ContactData contact, string payload) =>
        new(new LeadEvent(eventId, EventType.LeadUpdated, occurredAt.ToUniversalTime(), contact, null), payload, platformType);

    public static InteractionData Interaction(string channel, string? name, string? url = null, string? campaign = null) =>
        new(channel, Trim(name, 500), Trim(url, 2048), Trim(campaign, 500), []);

    /// A scalar as text (platforms send ids and numbers as either); null for null, objects and arrays.
    public static string? Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? Text(value) : null;

    /// A dotted path (<c>prospect.email</c>) into objects.
    public static string? TextAt(JsonElement element, string path)
    {
        var current = element;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return Text(current);
    }

    public static int? Number(string? text) =>
        text is not null && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            && value is >= int.MinValue and <= int.MaxValue
            ? (int)Math.Round(value, MidpointRounding.AwayFromZero)
            : null;

    /// Unix epoch milliseconds, the HubSpot way.
    public static DateTimeOffset? EpochMilliseconds(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is > 0 and < 253_402_300_799_000
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    /// ISO 8601 with an offset; without one, read in <paramref name="zone"/> (UTC unless configured).
    public static DateTimeOffset? Time(string? text, TimeZoneInfo? zone = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            && (HasOffset(text) || zone is null || zone == TimeZoneInfo.Utc))
        {
            return parsed;
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            return new DateTimeOffset(unspecified, (zone ?? TimeZoneInfo.Utc).GetUtcOffset(unspecified));
        }

        return null;
    }

    public static (string? First, string? Last) SplitName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return (null, null);
        }

        var trimmed = name.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (trimmed, null) : (trimmed[..space], trimmed[(space + 1)..].Trim());
    }

    public static string? Trim(string? value, int max) => value is null ? null : value.Length <= max ? value : value[..max];

    private static bool HasOffset(string value)
    {
        var time = value.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        var tail = value.AsSpan(time < 0 ? Math.Min(value.Length, 10) : time);
        return tail.EndsWith("Z", StringComparison.OrdinalIgnoreCase) || tail.LastIndexOfAny('+', '-') > 0;
    }
}

/// Collects a platform's contact fields into canonical <see cref="ContactData"/>, ignoring blanks.
internal sealed class ContactBuilder
{
    private readonly Dictionary<string, string> _externalIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _customFields = new(StringComparer.Ordinal);

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

    public bool HasIdentity => !string.IsNullOrWhiteSpace(Email) || _externalIds.Count > 0;

    public bool IsEmailValid => Email is null || EmailAddress.IsPlausible(Email.Trim());

    public ContactBuilder ExternalId(string system, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value) && value.Length <= 200)
        {
            _externalIds[system] = value;
        }

        return this;
    }

    public ContactBuilder Custom(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value) && name.Length <= 200)
        {
            _customFields[name] = PlatformEvents.Trim(value, 2000)!;
        }

        return this;
    }

    /// Sets a canonical field by its name in the canonical event (<c>email</c>, <c>jobTitle</c>, …); false when unknown.
    public bool Set(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return field.ToLowerInvariant() is "email" or "firstname" or "lastname" or "name" or "phone" or "company" or "jobtitle"
                or "companysize" or "website" or "country" or "industry" or "score";
        }

        var text = PlatformEvents.Trim(value.Trim(), 500);
        switch (field.ToLowerInvariant())
        {
            case "email": Email = text; break;
            case "firstname": FirstName = text; break;
            case "lastname": LastName = text; break;
            case "name": (FirstName, LastName) = PlatformEvents.SplitName(text); break;
            case "phone": Phone = text; break;
            case "company": Company = text; break;
            case "jobtitle": JobTitle = text; break;
            case "companysize": CompanySize = PlatformEvents.Number(text); break;
            case "website": Website = text; break;
            case "country": Country = text; break;
            case "industry": Industry = text; break;
            case "score": Score = PlatformEvents.Number(text); break;
            default: return false;
        }

        return true;
    }

    public ContactData Build() => new(
        string.IsNullOrWhiteSpace(Email) ? null : Email.Trim(),
        FirstName,
        LastName,
        Phone,
        Company,
        JobTitle,
        CompanySize is < 0 ? null : CompanySize,
        Website,
        Country,
        Industry,
        Score,
        new Dictionary<string, string>(_externalIds, StringComparer.Ordinal),
        _customFields.Count == 0 ? ContactData.NoValues : new Dictionary<string, string>(_customFields, StringComparer.Ordinal));
}
