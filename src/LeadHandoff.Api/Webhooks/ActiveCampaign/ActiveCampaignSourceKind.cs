using System.Text;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Sources;
using LeadHandoff.Domain.Events;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace LeadHandoff.Api.Webhooks.ActiveCampaign;

/// ActiveCampaign webhooks: <c>application/x-www-form-urlencoded</c> bodies with bracketed keys (<c>contact[email]</c>,
/// <c>contact[fields][1]</c>). ActiveCampaign signs nothing: the secret is the <c>token</c> in the webhook's URL.
internal sealed class ActiveCampaignSourceKind : ISourceKind
{
    public const string System = "activecampaign";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly Dictionary<string, string> DefaultFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = "contact[email]",
        ["firstName"] = "contact[first_name]",
        ["lastName"] = "contact[last_name]",
        ["phone"] = "contact[phone]",
        ["company"] = "contact[orgname]",
    };

    public string Name => "activecampaign";

    public IReadOnlyList<string> MediaTypes { get; } = ["application/x-www-form-urlencoded"];

    public byte[] DecodeSecret(string secret) => SharedSecret.Decode(secret);

    public IEnumerable<string> ValidateOptions(string where, SourceOptions options) =>
        options.Fields.Keys.Where(k => !IsCanonicalField(k)).Select(k =>
            $"{where}:Fields:{k} is not a lead field (email, firstName, lastName, phone, company, jobTitle, companySize, website, country, industry, score).");

    public SignatureCheck Verify(WebhookRequest request, IReadOnlyList<byte[]> keys, DateTimeOffset now) =>
        SharedSecret.Check(request, keys, request.Settings.TokenHeader ?? "X-Webhook-Token", allowQuery: true);

    public ParseOutcome Parse(WebhookRequest request)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(request.Body.Span);
        }
        catch (DecoderFallbackException)
        {
            return ParseOutcome.Invalid("body", "The form body is not valid UTF-8.");
        }

        Dictionary<string, StringValues> form;
        try
        {
            form = new FormReader(text).ReadForm();
        }
        catch (InvalidDataException ex)
        {
            return ParseOutcome.Invalid("body", "Malformed form body: " + ex.Message);
        }

        string? Value(string key) => form.TryGetValue(key, out var value) && !StringValues.IsNullOrEmpty(value) ? value.ToString() : null;

        var type = Value("type");
        if (type is null)
        {
            return ParseOutcome.Invalid("type", "Required (subscribe, update, unsubscribe, …).");
        }

        var contact = new ContactBuilder().ExternalId(System, Value("contact[id]"));
        var mapping = new Dictionary<string, string>(DefaultFields, StringComparer.OrdinalIgnoreCase);
        foreach (var (field, key) in request.Settings.Fields)
        {
            mapping[field] = key;
        }

        var used = new HashSet<string>(mapping.Values, StringComparer.Ordinal);
        foreach (var (field, key) in mapping)
        {
            contact.Set(field, Value(key));
        }

        foreach (var (key, value) in form)
        {
            // Custom fields the mapping leaves unclaimed stay on the lead, keyed by what ActiveCampaign calls them.
            if (!used.Contains(key) && key.StartsWith("contact[fields][", StringComparison.Ordinal) && key.EndsWith(']'))
            {
                contact.Custom("fields." + key["contact[fields][".Length..^1], value.ToString());
            }
        }

        contact.Custom("tags", Value("contact[tags]"));
        if (!contact.IsEmailValid)
        {
            return ParseOutcome.Invalid("contact[email]", "Not a valid email address.");
        }

        if (!contact.HasIdentity)
        {
            return ParseOutcome.Invalid("contact[email]", "A contact email or id is required.");
        }

        var occurredAt = PlatformEvents.Time(Value("date_time")) ?? request.ReceivedAt;
        // No event id in the body; the same bytes redelivered are the same event.
        var eventId = $"{type}-{Value("contact[id]")}-{PlatformEvents.BodyHash(request.Body.Span)}";
        var payload = text;
        var built = contact.Build();
        IncomingEvent mapped = type switch
        {
            "subscribe" => PlatformEvents.Mapped(eventId, EventType.LeadCreated, occurredAt, built, null, payload),
            "update" or "contact_tag_added" or "contact_tag_removed" => PlatformEvents.Mapped(eventId, EventType.LeadUpdated, occurredAt, built, null, payload),
            "unsubscribe" => PlatformEvents.Mapped(eventId, EventType.Unsubscribed, occurredAt, built, PlatformEvents.Interaction("email", Value("campaign[name]")), payload),
            "open" => PlatformEvents.Mapped(eventId, EventType.EmailOpened, occurredAt, built, PlatformEvents.Interaction("email", Value("campaign[name]")), payload),
            "click" => PlatformEvents.Mapped(eventId, EventType.EmailClicked, occurredAt, built,
                PlatformEvents.Interaction("email", Value("campaign[name]"), Value("link[url]")), payload),
            _ => PlatformEvents.Unmapped(eventId, "activecampaign:" + type, occurredAt, built, payload),
        };
        return ParseOutcome.Parsed([mapped]);
    }

    private static bool IsCanonicalField(string field) => new ContactBuilder().Set(field, null);
}
