using System.Net;
using LeadHandoff.Adapters.Tests.LookAlikes;
using LeadHandoff.Contracts.V1;
using LeadHandoff.Testing;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace LeadHandoff.Adapters.Tests.Flows;

/// The HubSpot and Salesforce adapters in-process in the API on the embedded default (SQLite, in-memory bus),
/// against look-alikes misbehaving the way the real APIs do.
public sealed class InProcessAdapterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task HubSpotTooManyRequests_WithRetryAfter_IsWaitedOutAndTheContactLandsOnce()
    {
        var hubSpot = await HubSpotLookAlike.StartAsync();
        await using var server = hubSpot.Server;
        await using var host = new ApiHost(CrmFlowTests.HubSpotSettings(hubSpot, "in-process"));
        using var client = host.Webhooks();
        hubSpot.Server.FailNext(1, 429, retryAfter: TimeSpan.FromSeconds(1), body: "{\"status\":\"error\",\"category\":\"RATE_LIMITS\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}");

        using var posted = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());

        await Eventually.UntilAsync(() => Settings.HandoffsAsync(client, "delivered"), h => h.Count == 1, Deadline, "the delivery after the 429");
        Assert.Single(hubSpot.Contacts);
        var upserts = hubSpot.Server.Requests.Where(r => r.Path.EndsWith("contacts/batch/upsert", StringComparison.Ordinal)).ToList();
        Assert.Equal([429, 200], upserts.Select(r => r.Status));
        Assert.True(upserts[1].ReceivedAt - upserts[0].ReceivedAt >= TimeSpan.FromSeconds(0.9), "Retry-After was not honoured.");
    }

    [Fact]
    public async Task HubSpotMalformedResponse_IsRetriedAndTheContactLandsOnce()
    {
        var hubSpot = await HubSpotLookAlike.StartAsync();
        await using var server = hubSpot.Server;
        await using var host = new ApiHost(CrmFlowTests.HubSpotSettings(hubSpot, "in-process"));
        using var client = host.Webhooks();
        hubSpot.Server.FailNext(1, 200, body: "<html>upstream proxy error</html>", contentType: "text/html");

        using var posted = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());

        await Eventually.UntilAsync(() => Settings.HandoffsAsync(client, "delivered"), h => h.Count == 1, Deadline, "the delivery after the malformed answer");
        Assert.Single(hubSpot.Contacts);
        Assert.Single(hubSpot.Notes);
        Assert.Equal(1, hubSpot.Server.FaultsAnswered);
    }

    [Fact]
    public async Task HubSpotInvalidContact_InABatch_RefusesOnlyThatHandoff()
    {
        var hubSpot = await HubSpotLookAlike.StartAsync();
        await using var server = hubSpot.Server;
        await using var host = new ApiHost(Settings.With(
            CrmFlowTests.HubSpotSettings(hubSpot, "in-process"),
            new() { ["LeadHandoff:Adapters:HubSpot:BatchTimeLimit"] = "00:00:01" }));
        using var client = host.Webhooks();
        var good = Events.UniqueEmail();

        using var posted = await client.PostAsync(Events.Batch(Events.Qualifying(good), Events.Qualifying(Events.UniqueEmail("crm-refuses.io"))));

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        await Eventually.UntilAsync(() => Settings.HandoffsAsync(client, "delivered"), h => h.Count == 1, Deadline, "the valid handoff to land");
        var failures = await Eventually.UntilAsync(
            () => DeliveryFailuresAsync(client),
            f => f.Count == 1,
            Deadline,
            "the refused handoff's failure");
        Assert.Equal("http_400", failures[0]);
        Assert.Equal([good], hubSpot.Contacts.Keys);
    }

    [Theory]
    [InlineData("VALIDATION_ERROR", "note_refused", 1)]
    [InlineData("INTERNAL_ERROR", "note_missing", 3)]
    public async Task HubSpotNoteRefused_InABatch_FailsOnlyThatHandoffAndTheOthersShowDelivered(string category, string reason, int noteCalls)
    {
        var hubSpot = await HubSpotLookAlike.StartAsync();
        await using var server = hubSpot.Server;
        hubSpot.RefuseNotesContaining = "Refused-note page";
        hubSpot.RefusedNoteCategory = category;
        await using var host = new ApiHost(Settings.With(
            CrmFlowTests.HubSpotSettings(hubSpot, "in-process"),
            new()
            {
                ["LeadHandoff:Adapters:HubSpot:BatchTimeLimit"] = "00:00:01",
                ["LeadHandoff:Adapters:HubSpot:MessageRetries"] = "2",
            }));
        using var client = host.Webhooks();
        var refused = Events.Qualifying(Events.UniqueEmail());
        refused["interaction"]!["name"] = "Refused-note page";

        using var posted = await client.PostAsync(Events.Batch(Events.Qualifying(Events.UniqueEmail()), refused, Events.Qualifying(Events.UniqueEmail())));

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var failures = await Eventually.UntilAsync(() => DeliveryFailuresAsync(client), f => f.Count == 1, Deadline, "the handoff whose note HubSpot refused to fail");
        Assert.Equal(reason, failures[0]);
        var delivered = await Eventually.UntilAsync(() => Settings.HandoffsAsync(client, "delivered"), h => h.Count == 2, Deadline, "the two other handoffs to show delivered");
        Assert.Equal(2, delivered.Count);
        // One batch of three, sent once when the refusal is final, and once per attempt when it may pass later.
        Assert.Equal(Enumerable.Repeat(3, noteCalls), hubSpot.NoteBatchSizes);
        Assert.Equal(3, hubSpot.Contacts.Count);
        Assert.Equal(2, hubSpot.Notes.Count);
        Assert.Equal(2, hubSpot.Associations.Count);
    }

    [Fact]
    public async Task HubSpotNoteLeftUnlinked_InABatch_IsRetriedAndOnlyThatHandoffFails()
    {
        var hubSpot = await HubSpotLookAlike.StartAsync();
        await using var server = hubSpot.Server;
        hubSpot.RefuseLinksForNotesContaining = "Unlinked-note page";
        await using var host = new ApiHost(Settings.With(
            CrmFlowTests.HubSpotSettings(hubSpot, "in-process"),
            new()
            {
                ["LeadHandoff:Adapters:HubSpot:BatchTimeLimit"] = "00:00:01",
                ["LeadHandoff:Adapters:HubSpot:MessageRetries"] = "1",
            }));
        using var client = host.Webhooks();
        var unlinked = Events.Qualifying(Events.UniqueEmail());
        unlinked["interaction"]!["name"] = "Unlinked-note page";

        using var posted = await client.PostAsync(Events.Batch(Events.Qualifying(Events.UniqueEmail()), unlinked));

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var failures = await Eventually.UntilAsync(() => DeliveryFailuresAsync(client), f => f.Count == 1, Deadline, "the handoff whose note stayed unlinked to fail");
        Assert.Equal("note_unlinked", failures[0]);
        Assert.Single(await Eventually.UntilAsync(() => Settings.HandoffsAsync(client, "delivered"), h => h.Count == 1, Deadline, "the other handoff to show delivered"));
        Assert.Equal([2, 2], hubSpot.NoteBatchSizes);
        Assert.Equal(2, hubSpot.Notes.Count);
        Assert.Single(hubSpot.Associations);
    }

    [Fact]
    public async Task SalesforceDailyLimitExceeded_IsRetriedUntilTheAllowanceReturns()
    {
        var salesforce = await SalesforceLookAlike.StartAsync();
        await using var server = salesforce.Server;
        await using var host = new ApiHost(CrmFlowTests.SalesforceSettings(salesforce, "in-process"));
        using var client = host.Webhooks();
        salesforce.Server.FailNext(2, 403, body: "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]", path: "/sobjects/");

        using var posted = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());

        await Eventually.UntilAsync(() => Settings.HandoffsAsync(client, "delivered"), h => h.Count == 1, Deadline, "the delivery once the allowance returns");
        Assert.Single(salesforce.Leads);
        Assert.Single(salesforce.Tasks);
        Assert.Equal(2, salesforce.Server.FaultsAnswered);
    }

    [Fact]
    public async Task LateDelivery_AfterSalesAccepted_FillsTheDeliveryButKeepsTheStatus()
    {
        await using var host = new ApiHost();
        using var client = host.Webhooks();
        using var posted = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());
        var handoffId = Guid.Parse((await Eventually.UntilAsync(
            () => Settings.HandoffsAsync(client, "published"), h => h.Count == 1, Deadline, "the handoff"))[0].GetProperty("id").GetString()!);
        await using (var connection = new SqliteConnection(ApiHost.SqliteConnectionString(host.DataDirectory)))
        {
            await connection.OpenAsync();
            await using var accept = connection.CreateCommand();
            accept.CommandText = "UPDATE handoffs SET \"Status\" = 'accepted'";
            Assert.Equal(1, await accept.ExecuteNonQueryAsync());
        }

        await host.Services.GetRequiredService<IBus>().Publish(new HandoffDelivered(handoffId, "salesforce", "00Q000000000042", TimeProvider.System.GetUtcNow()));

        var delivery = await Eventually.UntilAsync(
            async () => (await client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("deliveries"),
            d => d.GetArrayLength() == 1,
            Deadline,
            "the late delivery to be recorded");
        Assert.Equal("00Q000000000042", delivery[0].GetProperty("crmRecordId").GetString());
        Assert.Equal("accepted", (await client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task DeliveryAfterAFailure_ClearsTheFailure()
    {
        await using var host = new ApiHost();
        using var client = host.Webhooks();
        using var posted = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());
        var handoffId = Guid.Parse((await Eventually.UntilAsync(
            () => Settings.HandoffsAsync(client, "published"), h => h.Count == 1, Deadline, "the handoff"))[0].GetProperty("id").GetString()!);
        var bus = host.Services.GetRequiredService<IBus>();
        var failedAt = TimeProvider.System.GetUtcNow();

        await bus.Publish(new HandoffDeliveryFailed(handoffId, "hubspot", "note_missing", true, failedAt));
        await Eventually.UntilAsync(() => DeliveryFailuresAsync(client), f => f.SequenceEqual(["note_missing"]), Deadline, "the failure to be recorded");
        // A re-drive of the error queue delivers it later.
        await bus.Publish(new HandoffDelivered(handoffId, "hubspot", "1042", failedAt.AddMinutes(5)));

        var delivery = await Eventually.UntilAsync(
            async () => (await client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("deliveries")[0],
            d => d.GetProperty("crmRecordId").ValueKind == System.Text.Json.JsonValueKind.String,
            Deadline,
            "the delivery to be recorded");
        Assert.Equal("1042", delivery.GetProperty("crmRecordId").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, delivery.GetProperty("lastFailure").ValueKind);
        Assert.Equal("delivered", (await client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("status").GetString());
    }

    /// The last failure of every delivery that failed, over all handoffs.
    private static async Task<List<string?>> DeliveryFailuresAsync(WebhookClient client)
    {
        var all = await Settings.HandoffsAsync(client);
        var details = await Task.WhenAll(all.Select(h => client.GetJsonAsync($"/v1/handoffs/{h.GetProperty("id").GetString()}")));
        return details.SelectMany(d => d.GetProperty("deliveries").EnumerateArray())
            .Where(d => d.GetProperty("lastFailure").ValueKind == System.Text.Json.JsonValueKind.String)
            .Select(d => d.GetProperty("lastFailure").GetString())
            .ToList();
    }
}
