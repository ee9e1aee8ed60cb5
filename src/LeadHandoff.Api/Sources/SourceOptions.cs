namespace LeadHandoff.Api.Sources;

/// <c>LeadHandoff:Sources:{id}</c>: one configured webhook source.
internal sealed class SourceOptions
{
    public static readonly SourceOptions Empty = new();

    /// Picks the verifier and normalizer (<c>standard</c>, <c>hubspot</c>, <c>mautic</c>, …).
    public string? Kind { get; set; }

    /// Accepted secrets; two while a secret is being rotated.
    public List<string> Secrets { get; set; } = [];

    /// The URL the platform was told to call (scheme and host, optionally a path prefix), for signatures that cover
    /// the URL (HubSpot) when a proxy rewrites what Kestrel sees. Unset: taken from X-Forwarded-Proto/-Host, or the request.
    public string? PublicUrl { get; set; }

    /// HubSpot only: also accept the older v1/v2 signatures (no timestamp, so no replay protection).
    public bool AllowLegacySignatures { get; set; }

    /// Shared-secret kinds: the header carrying the secret (each kind has a documented default).
    public string? TokenHeader { get; set; }

    /// Shared-secret kinds: also accept the secret as the <c>token</c> query parameter (ActiveCampaign always does).
    public bool AllowQueryToken { get; set; }

    /// Templated kinds (Marketo, Account Engagement, ActiveCampaign): canonical field → where it is in the body.
    public Dictionary<string, string> Fields { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// Templated kinds: the IANA time zone of date-times the platform renders without an offset (Marketo renders
    /// its instance's zone). Default UTC.
    public string? TimeZone { get; set; }

    /// HubSpot only: fetch the contact's properties from the CRM API for events that carry only an id.
    public HubSpotApiOptions? Api { get; set; }
}

internal sealed class HubSpotApiOptions
{
    /// A private app's access token with the crm.objects.contacts.read scope.
    public string? AccessToken { get; set; }

    public Uri BaseUrl { get; set; } = new("https://api.hubapi.com");
}

internal sealed class WebhookOptions
{
    public const string SectionName = "LeadHandoff:Webhooks";

    /// Larger bodies are refused with 413 before they are read.
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// How far a signed timestamp may be from our clock, either way.
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    public int MaxEventsPerRequest { get; set; } = 1000;
}
