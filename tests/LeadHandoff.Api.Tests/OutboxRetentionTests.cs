using System.Net;
using LeadHandoff.Testing;
using Microsoft.Data.Sqlite;

namespace LeadHandoff.Api.Tests;

public sealed class OutboxRetentionTests
{
    [Fact]
    public async Task PublishedOutboxRows_PastRetention_AreDeletedWhileTheHandoffKeepsItsMessage()
    {
        await using var host = new ApiHost(new Dictionary<string, string?>
        {
            ["LeadHandoff:Outbox:Retention"] = "00:00:00",
            ["LeadHandoff:Outbox:PruneInterval"] = "00:00:00.100",
        });
        using var client = host.Webhooks();

        using var posted = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());
        var handoffs = await Eventually.UntilAsync(
            async () => (await client.GetJsonAsync("/v1/handoffs?status=published")).GetProperty("items").EnumerateArray().ToList(),
            h => h.Count == 1,
            TimeSpan.FromSeconds(20),
            "the handoff to be published");
        await Eventually.UntilAsync(() => OutboxRowsAsync(host), n => n == 0, TimeSpan.FromSeconds(20), "the published outbox row to be pruned");

        var detail = await client.GetJsonAsync($"/v1/handoffs/{handoffs[0].GetProperty("id").GetString()}");
        Assert.Equal("published", detail.GetProperty("status").GetString());
        Assert.Equal(handoffs[0].GetProperty("id").GetString(), detail.GetProperty("message").GetProperty("handoffId").GetString());
        using var replay = await client.Http.PostAsync($"/v1/handoffs/{handoffs[0].GetProperty("id").GetString()}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
    }

    private static async Task<long> OutboxRowsAsync(ApiHost host)
    {
        await using var connection = new SqliteConnection(ApiHost.SqliteConnectionString(host.DataDirectory));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM outbox_messages";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
