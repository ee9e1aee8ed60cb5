using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using LeadHandoff.Adapters.Delivery;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Adapters.Salesforce;

/// One access token shared by every delivery, fetched with the client-credentials flow and replaced only when
/// Salesforce rejects it (<c>401 INVALID_SESSION_ID</c>): session lifetimes are an org setting the token response does
/// not state. Concurrent deliveries that all see the same stale token cause one refresh, not one each.
internal sealed class SalesforceTokenCache(
    IHttpClientFactory httpClients,
    IOptions<SalesforceOptions> options,
    ILogger<SalesforceTokenCache> logger) : IDisposable
{
    public const string HttpClientName = "salesforce-auth";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Token? _current;

    public async Task<Token> GetAsync(Token? stale, CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && current != stale)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } fresh && fresh != stale)
            {
                return fresh;
            }

            var cause = stale is null ? "initial" : "expired";
            _current = await FetchAsync(cancellationToken);
            CrmTelemetry.TokenRefreshes.Add(1, new TagList { { "crm", SalesforceClient.Crm }, { "cause", cause } });
            logger.TokenFetched(SalesforceClient.Crm, cause);
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<Token> FetchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var http = httpClients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.BaseUrl!, "services/oauth2/token"));
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = settings.ClientId!,
            ["client_secret"] = settings.ClientSecret!,
        });
        // Asking for a token twice only yields a second token.
        request.Options.Set(CrmResilience.Idempotent, true);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            // invalid_client / invalid_grant (400, 401) is a configuration error no retry will fix.
            throw status is 429 or >= 500
                ? CrmDeliveryException.Transient("token_http_" + status)
                : CrmDeliveryException.Permanent("token_rejected");
        }

        SalesforceToken? token;
        try
        {
            token = await response.Content.ReadFromJsonAsync(SalesforceJson.Default.SalesforceToken, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw CrmDeliveryException.Transient("malformed_token_response", ex);
        }

        if (token?.AccessToken is not { Length: > 0 } accessToken
            || !Uri.TryCreate(token.InstanceUrl, UriKind.Absolute, out var instance))
        {
            throw CrmDeliveryException.Transient("malformed_token_response");
        }

        return new Token(accessToken, instance);
    }

    internal sealed record Token(string AccessToken, Uri InstanceUrl);
}
