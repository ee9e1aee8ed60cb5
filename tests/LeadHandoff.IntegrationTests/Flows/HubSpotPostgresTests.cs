using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using LeadHandoff.IntegrationTests.Infrastructure;
using LeadHandoff.Testing;
using Npgsql;

namespace LeadHandoff.IntegrationTests.Flows;

[Collection(InfrastructureCollection.Name)]
public sealed class HubSpotPostgresTests(InfrastructureFixture infrastructure)
{
    private const string Secret = "8a3f1c2e-5b7d-4e9f-a1c3-5e7f9b1d3f5a";

    [Fact]
    public async Task IdOnlyEventsAndPrivacyDeletion_OnPostgres_QueueOneFetchPerContactThenEraseIt()
    {
        var database = await infrastructure.Postgres.CreateDatabaseAsync(Hosts.UniqueName("hubspot"));
        var settings = Hosts.Production(infrastructure, database);
        settings["LeadHandoff:Sources:hubspot:Kind"] = "hubspot";
        settings["LeadHandoff:Sources:hubspot:Secrets:0"] = Secret;
        settings["LeadHandoff:Sources:hubspot:Api:AccessToken"] = "pat-na1-test-token";
        using var hubSpotDown = new RefusingPort();
        settings["LeadHandoff:Sources:hubspot:Api:BaseUrl"] = hubSpotDown.Url.ToString();
        await using var host = new ApiHost(settings);
        using var http = host.CreateClient();
        var objectId = Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);

        foreach (var (eventId, type) in new[] { (1, "contact.creation"), (2, "contact.propertyChange"), (3, "contact.propertyChange") })
        {
            using var response = await PostAsync(http, Event(objectId, eventId, type));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        Assert.Equal(1L, await ScalarAsync(database, $"SELECT COUNT(*) FROM contact_fetches WHERE \"ObjectId\" = '{objectId}'"));

        using (var deletion = await PostAsync(http, Event(objectId, 4, "contact.privacyDeletion")))
        {
            Assert.Equal(HttpStatusCode.Accepted, deletion.StatusCode);
        }

        Assert.Equal(0L, await ScalarAsync(database, $"SELECT COUNT(*) FROM contact_fetches WHERE \"ObjectId\" = '{objectId}'"));
        Assert.Equal(1L, await ScalarAsync(
            database,
            $"SELECT COUNT(*) FROM lead_erasures e JOIN lead_external_ids x ON x.\"LeadId\" = e.\"LeadId\" WHERE x.\"Value\" = '{objectId}' AND e.\"Reason\" = 'hubspot:contact.privacyDeletion'"));
    }

    private static string Event(string objectId, int eventId, string type) =>
        $$"""[{"eventId":{{eventId}},"subscriptionId":5,"portalId":62515,"occurredAt":{{1711234560000 + eventId}},"subscriptionType":"{{type}}","propertyName":"hs_lead_status","propertyValue":"NEW","attemptNumber":0,"objectId":{{objectId}},"changeSource":"CRM","appId":54321}]""";

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string body)
    {
        const string path = "/v1/webhooks/hubspot";
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var url = new Uri(http.BaseAddress!, path).ToString();
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("POST" + url + body + timestamp)));
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-HubSpot-Signature-v3", signature);
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        return http.SendAsync(request);
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
