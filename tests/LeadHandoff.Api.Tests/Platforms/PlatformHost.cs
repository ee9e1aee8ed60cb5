using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests.Platforms;

/// The real application with one source of every platform kind, and clients that post what each platform posts.
public sealed class PlatformHost : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string?>? _extraSettings;

    public PlatformHost()
    {
    }

    /// Not public: a class fixture may have one public constructor only.
    internal PlatformHost(IReadOnlyDictionary<string, string?> extraSettings) => _extraSettings = extraSettings;

    public const string HubSpotSecret = "8a3f1c2e-5b7d-4e9f-a1c3-5e7f9b1d3f5a";
    public const string MauticSecret = "mautic-webhook-secret-0123456789abcdef";
    public const string TokenSecret = "shared-token-secret-0123456789";
    public const string RotatedTokenSecret = "rotated-token-secret-9876543210";

    public ApiHost Host { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public static string Fixture(string path) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", path));

    public Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["LeadHandoff:Sources:hubspot:Kind"] = "hubspot",
            ["LeadHandoff:Sources:hubspot:Secrets:0"] = HubSpotSecret,
            ["LeadHandoff:Sources:hubspot-legacy:Kind"] = "hubspot",
            ["LeadHandoff:Sources:hubspot-legacy:Secrets:0"] = HubSpotSecret,
            ["LeadHandoff:Sources:hubspot-legacy:AllowLegacySignatures"] = "true",
            ["LeadHandoff:Sources:hubspot-proxied:Kind"] = "hubspot",
            ["LeadHandoff:Sources:hubspot-proxied:Secrets:0"] = HubSpotSecret,
            ["LeadHandoff:Sources:hubspot-proxied:PublicUrl"] = "https://leads.example.com/hooks/hubspot",
            ["LeadHandoff:Sources:mautic:Kind"] = "mautic",
            ["LeadHandoff:Sources:mautic:Secrets:0"] = MauticSecret,
            ["LeadHandoff:Sources:rd:Kind"] = "rdstation",
            ["LeadHandoff:Sources:rd:Secrets:0"] = TokenSecret,
            ["LeadHandoff:Sources:ac:Kind"] = "activecampaign",
            ["LeadHandoff:Sources:ac:Secrets:0"] = TokenSecret,
            ["LeadHandoff:Sources:ac:Fields:jobTitle"] = "contact[fields][1]",
            ["LeadHandoff:Sources:marketo:Kind"] = "marketo",
            ["LeadHandoff:Sources:marketo:Secrets:0"] = TokenSecret,
            ["LeadHandoff:Sources:marketo:Secrets:1"] = RotatedTokenSecret,
            ["LeadHandoff:Sources:marketo:TimeZone"] = "America/Chicago",
            ["LeadHandoff:Sources:pardot:Kind"] = "pardot",
            ["LeadHandoff:Sources:pardot:Secrets:0"] = TokenSecret,
            ["LeadHandoff:Sources:pardot:TokenHeader"] = "X-Pardot-Token",
        };
        foreach (var (key, value) in _extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        Host = new ApiHost(settings);
        Http = Host.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }

    public static string HubSpotV3(string secret, string method, string uri, string body, string timestamp) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(method + uri + body + timestamp)));

    /// Signs as HubSpot does: v3 over the URL it called (the test server's, unless given), timestamp in milliseconds.
    public Task<HttpResponseMessage> PostHubSpotAsync(
        string body, string source = "hubspot", string secret = HubSpotSecret, DateTimeOffset? at = null, string? signedUrl = null,
        string? signature = null, Action<HttpRequestMessage>? configure = null)
    {
        var path = $"/v1/webhooks/{source}";
        var timestamp = (at ?? TimeProvider.System.GetUtcNow()).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var url = signedUrl ?? new Uri(Http.BaseAddress!, path).ToString();
        var request = Json(path, body);
        request.Headers.Add("X-HubSpot-Signature-v3", signature ?? HubSpotV3(secret, "POST", url, body, timestamp));
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        configure?.Invoke(request);
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostMauticAsync(string body, string secret = MauticSecret, string? signature = null)
    {
        var request = Json("/v1/webhooks/mautic", body);
        request.Headers.Add("Webhook-Signature", signature ?? Convert.ToBase64String(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body))));
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostWithTokenAsync(string source, string body, string? header, string? token, string? queryToken = null, string contentType = "application/json")
    {
        var path = $"/v1/webhooks/{source}" + (queryToken is null ? string.Empty : "?token=" + Uri.EscapeDataString(queryToken));
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (header is not null && token is not null)
        {
            request.Headers.Add(header, token);
        }

        return Http.SendAsync(request);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public Task<JsonElement> LeadByEmailAsync(string email) => GetJsonAsync("/v1/leads?email=" + Uri.EscapeDataString(email));

    private static HttpRequestMessage Json(string path, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }
}

internal static class Responses
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static async Task AssertAcceptedAsync(this HttpResponseMessage response, int accepted)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {text}");
        Assert.Equal(accepted, JsonDocument.Parse(text).RootElement.GetProperty("accepted").GetInt32());
    }

    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, System.Net.HttpStatusCode status, string type)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(type, problem.GetProperty("type").GetString());
        return problem;
    }
}
