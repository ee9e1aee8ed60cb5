using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LeadHandoff.IntegrationTests.Flows;
using LeadHandoff.IntegrationTests.Infrastructure;
using LeadHandoff.Testing;
using Npgsql;

namespace LeadHandoff.IntegrationTests.Sources;

/// Merging two records of one person moves rows between leads in one transaction; PostgreSQL checks unique indexes
/// per statement, so the email handed from one record to the other must be released before it is taken.
[Collection(InfrastructureCollection.Name)]
public sealed class LeadMergePostgresTests(InfrastructureFixture infrastructure)
{
    private const string HubSpotSecret = "5c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
    private const string MauticSecret = "mautic-integration-secret-0123456789";

    [Fact]
    public async Task HubSpotIdOnlyLeadAndMauticEmailLead_MetInOneEvent_AreMergedInPostgres()
    {
        var database = await infrastructure.Postgres.CreateDatabaseAsync(Hosts.UniqueName("merge"));
        var settings = Hosts.Production(infrastructure, database);
        settings["LeadHandoff:Sources:hubspot:Kind"] = "hubspot";
        settings["LeadHandoff:Sources:hubspot:Secrets:0"] = HubSpotSecret;
        settings["LeadHandoff:Sources:mautic:Kind"] = "mautic";
        settings["LeadHandoff:Sources:mautic:Secrets:0"] = MauticSecret;
        await using var host = new ApiHost(settings);
        using var http = host.CreateClient();
        var email = Events.UniqueEmail();
        const string objectId = "73001";

        using (var created = await PostHubSpotAsync(http, $$"""[{"eventId":1,"subscriptionId":2,"portalId":3,"occurredAt":1711234560000,"subscriptionType":"contact.creation","objectId":{{objectId}}}]"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        }

        var mauticBody = "{\"mautic.lead_post_save_new\":[{\"contact\":{\"id\":881,\"points\":12,\"fields\":{\"all\":{\"email\":\"" + email
            + "\",\"firstname\":\"Inès\"}}},\"timestamp\":\"2024-03-23T22:55:41+00:00\"}]}";
        using (var mautic = await PostMauticAsync(http, mauticBody))
        {
            Assert.Equal(HttpStatusCode.Accepted, mautic.StatusCode);
        }

        var mauticLeadId = (await LeadAsync(http, "/v1/leads?email=" + Uri.EscapeDataString(email))).GetProperty("id").GetString();
        using (var workflow = await PostHubSpotAsync(http, "{\"vid\":" + objectId + ",\"properties\":{\"email\":{\"value\":\"" + email + "\"},\"jobtitle\":{\"value\":\"CMO\"}}}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, workflow.StatusCode);
        }

        var lead = await LeadAsync(http, "/v1/leads?email=" + Uri.EscapeDataString(email));
        var leadId = lead.GetProperty("id").GetString()!;
        Assert.NotEqual(mauticLeadId, leadId);
        Assert.Equal(objectId, lead.GetProperty("externalIds").GetProperty("hubspot").GetString());
        Assert.Equal("881", lead.GetProperty("externalIds").GetProperty("mautic").GetString());
        Assert.Equal("Inès", lead.GetProperty("profile").GetProperty("firstName").GetString());
        Assert.Equal(leadId, (await LeadAsync(http, $"/v1/leads/{mauticLeadId}")).GetProperty("id").GetString());

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT count(*) FROM lead_merges"));
        Assert.Equal(3L, await ScalarAsync(connection, $"SELECT count(*) FROM interaction_events WHERE \"LeadId\" = '{leadId}'"));
        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM interaction_events WHERE \"LeadId\" = '{mauticLeadId}'"));
    }

    private static Task<HttpResponseMessage> PostHubSpotAsync(HttpClient http, string body)
    {
        const string path = "/v1/webhooks/hubspot";
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var signed = "POST" + new Uri(http.BaseAddress!, path) + body + timestamp;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-HubSpot-Signature-v3", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(HubSpotSecret), Encoding.UTF8.GetBytes(signed))));
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        return http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> PostMauticAsync(HttpClient http, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks/mautic") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Webhook-Signature", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(MauticSecret), Encoding.UTF8.GetBytes(body))));
        return http.SendAsync(request);
    }

    private static async Task<JsonElement> LeadAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
