using System.Globalization;
using System.Net;
using LeadHandoff.Testing;
using Microsoft.Data.Sqlite;

namespace LeadHandoff.Api.Tests.Platforms;

public sealed class HubSpotEnrichmentRestartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("leadhandoff-restart-").FullName;

    private string ConnectionString => ApiHost.SqliteConnectionString(_directory);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    [Fact]
    public async Task IdOnlyContactEvent_WhileHubSpotIsDownAndAcrossARestart_IsFetchedOnceHubSpotIsBack()
    {
        var objectId = Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);
        var email = Events.UniqueEmail();

        using var hubSpotDown = new RefusingPort();
        var down = new PlatformHost(Settings(hubSpotDown.Url));
        await down.InitializeAsync();
        try
        {
            using var response = await down.PostHubSpotAsync(
                $$"""[{"eventId":41,"subscriptionId":42,"portalId":62515,"occurredAt":1711234560000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":{{objectId}},"changeSource":"CRM","appId":54321}]""");
            await response.AssertAcceptedAsync(1);
        }
        finally
        {
            await down.DisposeAsync();
        }

        Assert.Equal([objectId], await PendingFetchesAsync(ConnectionString));

        await using var api = await FakeHubSpotApi.StartAsync();
        api.Emails[objectId] = email;
        var up = new PlatformHost(Settings(api.BaseUrl));
        await up.InitializeAsync();
        try
        {
            await AssertEnrichedAsync(up, objectId, email);
        }
        finally
        {
            await up.DisposeAsync();
        }
    }

    private async Task AssertEnrichedAsync(PlatformHost up, string objectId, string email)
    {

        var lead = await Eventually.UntilAsync(
            async () =>
            {
                using var lookup = await up.Http.GetAsync("/v1/leads?email=" + Uri.EscapeDataString(email));
                return lookup.StatusCode == HttpStatusCode.OK ? await lookup.JsonAsync() : default;
            },
            found => found.ValueKind == System.Text.Json.JsonValueKind.Object,
            TimeSpan.FromSeconds(30),
            "the contact fetched after the restart");

        Assert.Equal(objectId, lead.GetProperty("externalIds").GetProperty("hubspot").GetString());
        Assert.Equal("Søren", lead.GetProperty("profile").GetProperty("firstName").GetString());
        await Eventually.UntilAsync(() => PendingFetchesAsync(ConnectionString), pending => pending.Count == 0, TimeSpan.FromSeconds(10), "the pending fetch to be deleted");
    }

    private Dictionary<string, string?> Settings(Uri hubSpot) => new()
    {
        ["ConnectionStrings:LeadHandoff"] = ConnectionString,
        ["LeadHandoff:Sources:hubspot:Api:AccessToken"] = FakeHubSpotApi.Token,
        ["LeadHandoff:Sources:hubspot:Api:BaseUrl"] = hubSpot.ToString(),
        ["LeadHandoff:HubSpot:Enrichment:RetryDelay"] = "00:00:00.200",
        ["LeadHandoff:HubSpot:Enrichment:PollInterval"] = "00:00:00.200",
        // A claim left by a host that stopped mid-fetch runs out soon, as after a crash.
        ["LeadHandoff:HubSpot:Enrichment:ClaimLease"] = "00:00:05",
    };

    /// The contacts waiting to be fetched, read from the database file itself.
    internal static async Task<List<string>> PendingFetchesAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "ObjectId" FROM contact_fetches""";
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
