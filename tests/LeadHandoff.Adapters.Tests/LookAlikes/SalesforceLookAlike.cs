using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LeadHandoff.Adapters.Tests.LookAlikes;

/// Salesforce's REST API as documented: client-credentials token endpoint, sObject upsert by external id
/// (<c>PATCH …/sobjects/{type}/{field}/{value}</c>: <c>201</c> created, <c>200</c> updated), <c>401</c> with
/// <c>INVALID_SESSION_ID</c> once sessions expire, and <c>Sforce-Limit-Info</c> on every answer.
public sealed class SalesforceLookAlike
{
    public const string ClientId = "look-alike-client";
    public const string ClientSecret = "look-alike-secret";
    public const string ApiVersion = "v62.0";

    private readonly ConcurrentDictionary<string, bool> _validTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Type, string Key), Record> _records = new();
    private int _sequence;
    private int _apiCalls;

    private SalesforceLookAlike(LookAlike server)
    {
        Server = server;
    }

    public LookAlike Server { get; }

    public int TokensIssued { get; private set; }

    public IReadOnlyList<Record> Leads => _records.Where(r => r.Key.Type == "Lead").Select(r => r.Value).ToList();

    public IReadOnlyList<Record> Tasks => _records.Where(r => r.Key.Type == "Task").Select(r => r.Value).ToList();

    /// Every session issued so far becomes invalid, as when an admin revokes them or they time out.
    public void ExpireSessions() => _validTokens.Clear();

    public static async Task<SalesforceLookAlike> StartAsync()
    {
        SalesforceLookAlike? crm = null;
        var server = await LookAlike.StartAsync(app =>
        {
            app.MapPost("/services/oauth2/token", c => crm!.TokenAsync(c).WriteTo(c));
            app.MapPatch("/services/data/{version}/sobjects/{type}/{field}/{value}", c => crm!.UpsertAsync(c, Route(c, "version"), Route(c, "type"), Route(c, "field"), Route(c, "value")).WriteTo(c));
        });
        crm = new SalesforceLookAlike(server);
        return crm;
    }

    private static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "client_credentials" || form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return Results.Json(new { error = "invalid_client", error_description = "invalid client credentials" }, statusCode: 400);
        }

        TokensIssued++;
        var token = "00D-session-" + Guid.NewGuid().ToString("N");
        _validTokens[token] = true;
        return Results.Json(new Dictionary<string, string>
        {
            ["access_token"] = token,
            ["instance_url"] = Server.BaseUrl.ToString().TrimEnd('/'),
            ["token_type"] = "Bearer",
            ["issued_at"] = "1763856000000",
        });
    }

    private async Task<IResult> UpsertAsync(HttpContext context, string version, string type, string field, string value)
    {
        context.Response.Headers["Sforce-Limit-Info"] = string.Create(CultureInfo.InvariantCulture, $"api-usage={Interlocked.Increment(ref _apiCalls)}/15000");
        var bearer = context.Request.Headers.Authorization.ToString();
        if (!bearer.StartsWith("Bearer ", StringComparison.Ordinal) || !_validTokens.ContainsKey(bearer["Bearer ".Length..]))
        {
            return Results.Json(new[] { new { message = "Session expired or invalid", errorCode = "INVALID_SESSION_ID" } }, statusCode: 401);
        }

        if (version != ApiVersion || !field.EndsWith("__c", StringComparison.Ordinal))
        {
            return Results.Json(new[] { new { message = "Provided external ID field does not exist or is not accessible", errorCode = "NOT_FOUND" } }, statusCode: 404);
        }

        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        if (type == "Lead" && (body["LastName"] is null || body["Company"] is null))
        {
            return Results.Json(new[] { new { message = "Required fields are missing: [LastName, Company]", errorCode = "REQUIRED_FIELD_MISSING" } }, statusCode: 400);
        }

        var fields = body.ToDictionary(p => p.Key, p => p.Value?.ToString(), StringComparer.Ordinal);
        var created = false;
        var record = _records.AddOrUpdate(
            (type, value),
            _ =>
            {
                created = true;
                var prefix = type == "Lead" ? "00Q" : "00T";
                return new Record(prefix + Interlocked.Increment(ref _sequence).ToString("D12", CultureInfo.InvariantCulture), field, value, fields, context.Request.Headers["Sforce-Auto-Assign"].ToString());
            },
            (_, existing) => existing with { Fields = fields });
        return Results.Json(new { id = record.Id, success = true, errors = Array.Empty<object>(), created }, statusCode: created ? 201 : 200);
    }

    public sealed record Record(string Id, string ExternalIdField, string ExternalId, IReadOnlyDictionary<string, string?> Fields, string AutoAssign);
}
