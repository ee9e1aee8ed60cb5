using System.Net;
using LeadHandoff.Adapters.Tests.LookAlikes;
using LeadHandoff.Testing;

namespace LeadHandoff.Adapters.Tests.Flows;

/// The generic adapter running in-process in the API on the embedded default (SQLite, in-memory bus).
public sealed class GenericHttpAdapterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task QualifyingEvent_WithGenericAdapterInProcess_LandsOnceSignedAndShowsDelivered()
    {
        var target = await GenericTarget.StartAsync();
        await using var server = target.Server;
        await using var host = new ApiHost(Settings.GenericHttp(target));
        using var client = host.Webhooks();

        using var posted = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var delivered = await Eventually.UntilAsync(
            () => Settings.HandoffsAsync(client, "delivered"), h => h.Count == 1, Deadline, "the handoff to show delivered");
        var handoffId = delivered[0].GetProperty("id").GetString()!;
        var handoff = await client.GetJsonAsync($"/v1/handoffs/{handoffId}");
        var delivery = Assert.Single(handoff.GetProperty("deliveries").EnumerateArray());
        Assert.Equal("generic-http", delivery.GetProperty("crm").GetString());
        Assert.Equal(target.Records[handoffId], delivery.GetProperty("crmRecordId").GetString());
        Assert.Single(target.Records);
        Assert.Equal(0, target.BadSignatures);
        var request = Assert.Single(target.Server.Requests);
        Assert.Equal(handoffId, request.Headers["webhook-id"]);
        Assert.Contains("\"handoffId\":\"" + handoffId + "\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_OfADeliveredHandoff_UpdatesTheSameRecordInsteadOfDuplicating()
    {
        var target = await GenericTarget.StartAsync();
        await using var server = target.Server;
        await using var host = new ApiHost(Settings.GenericHttp(target));
        using var client = host.Webhooks();
        using var posted = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());
        var handoffId = (await Eventually.UntilAsync(
            () => Settings.HandoffsAsync(client, "delivered"), h => h.Count == 1, Deadline, "the first delivery"))[0].GetProperty("id").GetString();

        using var replay = await client.Http.PostAsync($"/v1/handoffs/{handoffId}/replay", null);

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await Eventually.UntilAsync(() => Task.FromResult(target.Server.Requests.Count), n => n >= 2, Deadline, "the replayed delivery");
        Assert.Single(target.Records);
        Assert.All(target.Server.Requests, r => Assert.Equal(handoffId, r.Headers["idempotency-key"]));
        Assert.Single(await Settings.HandoffsAsync(client, "delivered"));
    }

    [Fact]
    public async Task ServiceUnavailableStorm_ThenRecovery_DeliversEveryHandoffOnce()
    {
        var target = await GenericTarget.StartAsync();
        await using var server = target.Server;
        await using var host = new ApiHost(Settings.GenericHttp(target));
        using var client = host.Webhooks();
        target.Server.FailNext(12, 503, retryAfter: TimeSpan.FromSeconds(1));
        target.Server.FailNext(3, 429, retryAfter: TimeSpan.FromSeconds(1));

        for (var i = 0; i < 5; i++)
        {
            using var posted = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        await Eventually.UntilAsync(
            () => Settings.HandoffsAsync(client, "delivered"), h => h.Count == 5, TimeSpan.FromSeconds(60), "every handoff to be delivered after the storm");
        Assert.Equal(5, target.Records.Count);
        Assert.Equal(15, target.Server.FaultsAnswered);
    }

    [Fact]
    public async Task PermanentRefusal_IsRecordedAsANonRetryableFailureAndNotRetried()
    {
        var target = await GenericTarget.StartAsync();
        await using var server = target.Server;
        await using var host = new ApiHost(Settings.GenericHttp(target));
        using var client = host.Webhooks();
        target.Server.FailNext(1, 422, body: "{\"error\":\"unknown field\"}");

        using var posted = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());

        var handoffId = (await Eventually.UntilAsync(
            () => Settings.HandoffsAsync(client), h => h.Count == 1, Deadline, "the handoff"))[0].GetProperty("id").GetString();
        var delivery = await Eventually.UntilAsync(
            async () => (await client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("deliveries"),
            d => d.GetArrayLength() == 1,
            Deadline,
            "the failure to be recorded");
        Assert.Equal("http_422", delivery[0].GetProperty("lastFailure").GetString());
        Assert.False(delivery[0].GetProperty("lastFailureRetryable").GetBoolean());
        Assert.Single(target.Server.Requests);
        Assert.Empty(target.Records);
    }
}
