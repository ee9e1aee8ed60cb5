using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LeadHandoff.Adapters.Delivery;
using LeadHandoff.Contracts.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Adapters.Salesforce;

/// Lands a handoff in Salesforce: the Lead upserted by its external id (LeadHandoff's lead id) with the assignment
/// rules on, then a follow-up Task upserted by the handoff id carrying the summary. Both are PATCH upserts, so a
/// redelivered handoff updates what is there instead of duplicating it.
internal sealed class SalesforceClient(
    HttpClient http,
    SalesforceTokenCache tokens,
    IOptions<SalesforceOptions> options,
    ILogger<SalesforceClient> logger)
{
    public const string Crm = "salesforce";

    private readonly SalesforceOptions _options = options.Value;

    public async Task<string> DeliverAsync(LeadHandoffRequested handoff, CancellationToken cancellationToken)
    {
        var leadId = await UpsertAsync("Lead", _options.LeadExternalIdField, handoff.LeadId.ToString(), LeadFields(handoff), _options.AutoAssign, cancellationToken);
        await UpsertAsync("Task", _options.TaskExternalIdField, handoff.HandoffId.ToString(), TaskFields(handoff, leadId), autoAssign: false, cancellationToken);
        return leadId;
    }

    private async Task<string> UpsertAsync(string sobject, string field, string value, Dictionary<string, object> fields, bool autoAssign, CancellationToken cancellationToken)
    {
        var path = $"services/data/{_options.ApiVersion}/sobjects/{sobject}/{field}/{Uri.EscapeDataString(value)}";
        for (var attempt = 0; ; attempt++)
        {
            var token = await tokens.GetAsync(stale: null, cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(token.InstanceUrl, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
            if (autoAssign)
            {
                request.Headers.Add("Sforce-Auto-Assign", "TRUE");
            }

            request.Content = JsonContent.Create(fields, SalesforceJson.Default.DictionaryStringObject);
            using var response = await http.SendAsync(request, cancellationToken);
            RecordLimits(response);

            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                // INVALID_SESSION_ID: the token expired or was revoked; fetch a new one once and try again.
                await tokens.GetAsync(stale: token, cancellationToken);
                continue;
            }

            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                // API versions before 46.0 answer an update with no body; the id is one GET away.
                return await FindIdAsync(token, path, cancellationToken);
            }

            if (response.IsSuccessStatusCode)
            {
                var result = await ReadAsync(response, SalesforceJson.Default.SalesforceUpsertResult, cancellationToken);
                return result?.Id is { Length: > 0 } id ? id : throw CrmDeliveryException.Transient("malformed_response");
            }

            throw await FailureAsync(response, cancellationToken);
        }
    }

    private async Task<string> FindIdAsync(SalesforceTokenCache.Token token, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(token.InstanceUrl, path + "?fields=Id"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, cancellationToken);
        }

        var record = await ReadAsync(response, SalesforceJson.Default.SalesforceRecordId, cancellationToken);
        return record?.Id ?? throw CrmDeliveryException.Transient("malformed_response");
    }

    private static async Task<CrmDeliveryException> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? code = null;
        try
        {
            var errors = await response.Content.ReadFromJsonAsync(SalesforceJson.Default.ListSalesforceError, cancellationToken);
            code = errors?.FirstOrDefault()?.ErrorCode;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // An error page instead of the documented error array: the status code has to do.
        }

        var status = (int)response.StatusCode;
        var reason = code ?? "http_" + status.ToString(CultureInfo.InvariantCulture);
        // REQUEST_LIMIT_EXCEEDED (403) is the org's daily allowance: it comes back, so the handoff waits for it.
        // DUPLICATE_VALUE is two deliveries of one lead creating it at once: the retry finds the record and updates it.
        var transient = status is 429 or 408 or >= 500
            || code is "REQUEST_LIMIT_EXCEEDED" or "SERVER_UNAVAILABLE" or "UNABLE_TO_LOCK_ROW" or "INVALID_SESSION_ID" or "DUPLICATE_VALUE";
        return transient ? CrmDeliveryException.Transient(reason) : CrmDeliveryException.Permanent(reason);
    }

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw CrmDeliveryException.Transient("malformed_response", ex);
        }
    }

    /// <c>Sforce-Limit-Info: api-usage=18/15000</c>: the org's daily allowance, shared with every other integration.
    private void RecordLimits(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Sforce-Limit-Info", out var values))
        {
            return;
        }

        foreach (var part in string.Join(',', values).Split(','))
        {
            var usage = part.Trim();
            if (!usage.StartsWith("api-usage=", StringComparison.Ordinal))
            {
                continue;
            }

            var numbers = usage["api-usage=".Length..].Split('/');
            if (numbers.Length == 2
                && long.TryParse(numbers[0], NumberStyles.None, CultureInfo.InvariantCulture, out var used)
                && long.TryParse(numbers[1], NumberStyles.None, CultureInfo.InvariantCulture, out var allowed)
                && allowed > 0)
            {
                var ratio = (double)used / allowed;
                CrmTelemetry.ApiUsage.Record(ratio, new TagList { { "crm", Crm } });
                if (ratio >= _options.ApiUsageWarning)
                {
                    logger.ApiUsageHigh(Crm, used, allowed);
                }
            }
        }
    }

    private static Dictionary<string, object> LeadFields(LeadHandoffRequested handoff)
    {
        var lead = handoff.Lead;
        // LastName and Company are required on Lead; a placeholder beats a refused lead the seller never sees.
        var fields = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["LastName"] = string.IsNullOrWhiteSpace(lead.LastName) ? "[not provided]" : lead.LastName,
            ["Company"] = string.IsNullOrWhiteSpace(lead.Company) ? "[not provided]" : lead.Company,
            ["LeadSource"] = handoff.Routing.Source,
        };
        Add(fields, "FirstName", lead.FirstName);
        Add(fields, "Email", lead.Email);
        Add(fields, "Phone", lead.Phone);
        Add(fields, "Title", lead.JobTitle);
        Add(fields, "Website", lead.Website);
        Add(fields, "Country", lead.Country);
        Add(fields, "Industry", lead.Industry);
        if (lead.CompanySize is { } size)
        {
            fields["NumberOfEmployees"] = size;
        }

        return fields;
    }

    private static Dictionary<string, object> TaskFields(LeadHandoffRequested handoff, string leadId) => new(StringComparer.Ordinal)
    {
        ["WhoId"] = leadId,
        ["Subject"] = "Follow up: marketing-qualified lead",
        ["Description"] = HandoffSummary.Text(handoff),
        ["ActivityDate"] = handoff.Sla.FirstContactBy.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["Status"] = "Not Started",
        ["Priority"] = "High",
    };

    private static void Add(Dictionary<string, object> fields, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            fields[name] = value;
        }
    }
}
