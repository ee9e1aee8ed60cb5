using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LeadHandoff.Testing;

/// Signs and posts canonical events the way a platform using Standard Webhooks would.
public sealed class WebhookClient(HttpClient http) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public HttpClient Http { get; } = http;

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }

    public Task<HttpResponseMessage> PostAsync(
        string body,
        string? webhookId = null,
        string secret = ApiHost.Secret,
        DateTimeOffset? timestamp = null,
        string source = ApiHost.SourceId,
        string contentType = "application/json",
        string? signature = null)
    {
        var id = webhookId ?? "msg_" + Guid.NewGuid().ToString("N");
        var at = (timestamp ?? TimeProvider.System.GetUtcNow()).ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/{source}")
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", at.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature ?? Sign(secret, id, at, body));
        return Http.SendAsync(request);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json);
    }

    public void Dispose() => Http.Dispose();
}
