using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LeadHandoff.Adapters.Delivery;
using LeadHandoff.Contracts.V1;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Adapters.GenericHttp;

/// Delivers a handoff as signed JSON. The handoff id is both the Standard Webhooks <c>webhook-id</c> and the
/// <c>Idempotency-Key</c>, so a receiver recognises a redelivery and the POST may be retried safely.
internal sealed class GenericHttpClient(HttpClient http, IOptions<GenericHttpOptions> options, TimeProvider time)
{
    private readonly byte[] _key = WebhookSigner.TryDecodeSecret(options.Value.Secret, out var key)
        ? key
        : throw new InvalidOperationException($"{GenericHttpOptions.SectionName}:Secret is not a whsec_ secret.");

    public async Task<string> DeliverAsync(LeadHandoffRequested handoff, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(handoff, AdapterJson.Default.LeadHandoffRequested);
        var id = handoff.HandoffId.ToString();
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();

        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.BaseUrl);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigner.Sign(_key, id, timestamp, body));
        request.Headers.Add("Idempotency-Key", id);
        request.Options.Set(CrmResilience.Idempotent, true);

        using var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return await RecordIdAsync(response, id, cancellationToken);
        }

        // 409: the receiver already holds this idempotency key, i.e. an earlier attempt landed.
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return id;
        }

        var reason = "http_" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        throw response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500
            ? CrmDeliveryException.Transient(reason)
            : CrmDeliveryException.Permanent(reason);
    }

    /// The receiver may answer <c>{ "id": "…" }</c> with its record id; anything else means the handoff id stands for it.
    private static async Task<string> RecordIdAsync(HttpResponseMessage response, string fallback, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return fallback;
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("id", out var recordId)
                && recordId.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? recordId.ToString()
                : fallback;
        }
        catch (JsonException)
        {
            // The POST succeeded; an unreadable body must not turn a landed handoff into a retry.
            return fallback;
        }
    }
}
