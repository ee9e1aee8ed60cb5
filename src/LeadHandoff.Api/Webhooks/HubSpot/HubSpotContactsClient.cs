using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace LeadHandoff.Api.Webhooks.HubSpot;

internal sealed record HubSpotContact(string Id, JsonElement Properties, DateTimeOffset? UpdatedAt, string Json);

/// HubSpot's CRM API, contacts by id (GET /crm/v3/objects/contacts/{id}). Retries, 429 + Retry-After and timeouts
/// are the standard resilience handler's.
internal sealed class HubSpotContactsClient(HttpClient http)
{
    // Only what maps onto the lead; asking for every property would make each response (and each stored event) large.
    private const string Properties =
        "email,firstname,lastname,phone,mobilephone,company,jobtitle,numemployees,website,country,industry,hubspotscore,lifecyclestage,hs_lead_status,lastmodifieddate";

    /// Null when HubSpot no longer has the contact (deleted or merged away).
    public async Task<HubSpotContact?> GetAsync(Uri baseUrl, string accessToken, string contactId, CancellationToken cancellationToken)
    {
        var uri = new Uri(baseUrl, $"crm/v3/objects/contacts/{Uri.EscapeDataString(contactId)}?properties={Properties}&archived=false");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadAsStringAsync(cancellationToken);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var id = root.TryGetProperty("id", out var idElement) ? idElement.ToString() : contactId;
        DateTimeOffset? updatedAt = root.TryGetProperty("updatedAt", out var updated) && updated.TryGetDateTimeOffset(out var at) ? at : null;
        var properties = root.TryGetProperty("properties", out var bag) ? bag.Clone() : default;
        return new HubSpotContact(id, properties, updatedAt, json);
    }
}
