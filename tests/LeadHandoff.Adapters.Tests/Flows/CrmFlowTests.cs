using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadHandoff.Adapters.Tests.LookAlikes;
using LeadHandoff.IntegrationTests.Infrastructure;
using LeadHandoff.Testing;

namespace LeadHandoff.Adapters.Tests.Flows;

/// The production shape: the API publishes to a real RabbitMQ, the adapter worker (a separate host) consumes from its
/// own queues and calls the CRM look-alikes, and the results come back to the API over the broker.
[Collection(InfrastructureCollection.Name)]
public sealed class CrmFlowTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task QualifyingEvent_ThroughRabbitMq_LandsOneLeadAndOneContactWithTheSummaryAndShowsDelivered()
    {
        var salesforce = await SalesforceLookAlike.StartAsync();
        await using var salesforceServer = salesforce.Server;
        var hubSpot = await HubSpotLookAlike.StartAsync();
        await using var hubSpotServer = hubSpot.Server;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await using var api = new ApiHost(Settings.RabbitMq(infrastructure));
        await using var worker = await AdapterWorker.StartAsync(Settings.With(Settings.RabbitMq(infrastructure), Crms(salesforce, hubSpot, suffix)));
        using var client = api.Webhooks();
        var email = Events.UniqueEmail();

        using var posted = await client.PostAsync(Events.Qualifying(email).Json());

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var handoffId = await DeliveredToBothAsync(client);
        var lead = Assert.Single(salesforce.Leads);
        Assert.Equal(email, lead.Fields["Email"]);
        Assert.Equal("TRUE", lead.AutoAssign);
        var task = Assert.Single(salesforce.Tasks);
        Assert.Equal(handoffId, task.ExternalId);
        Assert.Equal(lead.Id, task.Fields["WhoId"]);
        Assert.Contains("Interests: integrations, pricing", task.Fields["Description"], StringComparison.Ordinal);
        var contact = Assert.Single(hubSpot.Contacts);
        Assert.Equal(email, contact.Key);
        Assert.Equal("marketingqualifiedlead", contact.Value.Properties["lifecyclestage"]);
        var note = Assert.Single(hubSpot.Notes);
        Assert.Contains("Interests: integrations, pricing", note.Value.Properties["hs_note_body"], StringComparison.Ordinal);
        Assert.Equal((note.Value.Id, contact.Value.Id), Assert.Single(hubSpot.Associations));

        var deliveries = (await client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("deliveries").EnumerateArray()
            .ToDictionary(d => d.GetProperty("crm").GetString()!, d => d.GetProperty("crmRecordId").GetString());
        Assert.Equal(lead.Id, deliveries["salesforce"]);
        Assert.Equal(contact.Value.Id, deliveries["hubspot"]);

        // The same handoff again (an operator's replay): both CRMs update what they hold.
        using var replay = await client.Http.PostAsync($"/v1/handoffs/{handoffId}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await Eventually.UntilAsync(
            () => Task.FromResult(salesforce.Server.Requests.Count(r => r.Method == "PATCH")),
            n => n >= 4,
            Deadline,
            "the replay to reach Salesforce");
        await Eventually.UntilAsync(
            () => Task.FromResult(hubSpot.Server.Requests.Count(r => r.Path.EndsWith("contacts/batch/upsert", StringComparison.Ordinal))),
            n => n >= 2,
            Deadline,
            "the replay to reach HubSpot");
        Assert.Single(salesforce.Leads);
        Assert.Single(salesforce.Tasks);
        Assert.Single(hubSpot.Contacts);
        Assert.Single(hubSpot.Notes);
    }

    [Fact]
    public async Task ExpiredSalesforceSession_IsRefreshedOnceAndTheHandoffLands()
    {
        var salesforce = await SalesforceLookAlike.StartAsync();
        await using var salesforceServer = salesforce.Server;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await using var api = new ApiHost(Settings.RabbitMq(infrastructure));
        await using var worker = await AdapterWorker.StartAsync(Settings.With(Settings.RabbitMq(infrastructure), SalesforceSettings(salesforce, suffix)));
        using var client = api.Webhooks();
        using var first = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());
        await Eventually.UntilAsync(() => Settings.HandoffsAsync(client, "delivered"), h => h.Count == 1, Deadline, "the first delivery");

        salesforce.ExpireSessions();
        using var second = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());

        await Eventually.UntilAsync(() => Settings.HandoffsAsync(client, "delivered"), h => h.Count == 2, Deadline, "the delivery after the session expired");
        Assert.Equal(2, salesforce.TokensIssued);
        Assert.Equal(2, salesforce.Leads.Count);
        Assert.Single(salesforce.Server.Requests, r => r.Status == 401);
    }

    [Fact]
    public async Task CrmOutage_ThenRecovery_LosesNoHandoffAndDuplicatesNone()
    {
        var hubSpot = await HubSpotLookAlike.StartAsync();
        await using var hubSpotServer = hubSpot.Server;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await using var api = new ApiHost(Settings.RabbitMq(infrastructure));
        await using var worker = await AdapterWorker.StartAsync(Settings.With(Settings.RabbitMq(infrastructure), HubSpotSettings(hubSpot, suffix)));
        using var client = api.Webhooks();
        hubSpot.Server.Down = true;

        const int Handoffs = 20;
        for (var i = 0; i < Handoffs; i++)
        {
            using var posted = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        await Eventually.UntilAsync(() => Task.FromResult(hubSpot.Server.FaultsAnswered), n => n >= 10, Deadline, "the adapter to hit the outage");
        hubSpot.Server.Down = false;

        await Eventually.UntilAsync(() => Settings.HandoffsAsync(client, "delivered"), h => h.Count == Handoffs, Deadline, "every handoff to land after the outage");
        Assert.Equal(Handoffs, hubSpot.Contacts.Count);
        Assert.Equal(Handoffs, hubSpot.Notes.Count);
        Assert.Equal(Handoffs, hubSpot.Associations.Count);
    }

    [Fact]
    public async Task RefusedHandoffs_EndInTheErrorQueueWithTheirReason_AndReDriveDeliversThem()
    {
        var target = await GenericTarget.StartAsync();
        await using var targetServer = target.Server;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await using var api = new ApiHost(Settings.RabbitMq(infrastructure));
        await using var worker = await AdapterWorker.StartAsync(Settings.With(
            Settings.RabbitMq(infrastructure),
            Settings.GenericHttp(target),
            new() { ["LeadHandoff:Adapters:GenericHttp:QueueName"] = "crm-generic-http-" + suffix }));
        using var client = api.Webhooks();
        // The receiver refuses everything for now (e.g. a field it does not know yet): a permanent failure.
        target.Server.FailNext(3, 422, body: "{\"error\":\"unknown field\"}");

        for (var i = 0; i < 3; i++)
        {
            using var posted = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());
        }

        var queues = await Eventually.UntilAsync(
            () => worker.Http.GetFromJsonAsync<JsonElement>("/v1/dead-letters"),
            q => q[0].GetProperty("count").GetInt32() == 3,
            Deadline,
            "three dead letters");
        Assert.Equal("crm-generic-http-" + suffix + "_error", queues[0].GetProperty("errorQueue").GetString());
        var letters = await worker.Http.GetFromJsonAsync<JsonElement>("/v1/dead-letters/generic-http");
        Assert.Equal(3, letters.GetArrayLength());
        Assert.All(letters.EnumerateArray(), l => Assert.Contains("http_422", l.GetProperty("reason").GetString(), StringComparison.Ordinal));
        var failed = await Eventually.UntilAsync(
            () => FailuresAsync(client),
            f => f.Count == 3,
            Deadline,
            "the failures to be recorded by the API");
        Assert.All(failed, f => Assert.Equal("http_422", f));

        using var redrive = await worker.Http.PostAsync("/v1/dead-letters/generic-http/redrive", null);

        Assert.Equal(HttpStatusCode.OK, redrive.StatusCode);
        Assert.Equal(3, (await redrive.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("count").GetInt32());
        await Eventually.UntilAsync(() => Settings.HandoffsAsync(client, "delivered"), h => h.Count == 3, Deadline, "the re-driven handoffs to land");
        Assert.Equal(3, target.Records.Count);
        Assert.Equal(0, (await worker.Http.GetFromJsonAsync<JsonElement>("/v1/dead-letters"))[0].GetProperty("count").GetInt32());
    }

    private static async Task<List<string>> FailuresAsync(WebhookClient client)
    {
        var failures = new List<string>();
        foreach (var handoff in await Settings.HandoffsAsync(client))
        {
            var detail = await client.GetJsonAsync($"/v1/handoffs/{handoff.GetProperty("id").GetString()}");
            failures.AddRange(detail.GetProperty("deliveries").EnumerateArray()
                .Where(d => d.GetProperty("lastFailure").ValueKind == JsonValueKind.String)
                .Select(d => d.GetProperty("lastFailure").GetString()!));
        }

        return failures;
    }

    private static async Task<string> DeliveredToBothAsync(WebhookClient client)
    {
        var handoffs = await Eventually.UntilAsync(
            async () =>
            {
                var list = await Settings.HandoffsAsync(client, "delivered");
                return list.Count == 1
                    ? (await client.GetJsonAsync($"/v1/handoffs/{list[0].GetProperty("id").GetString()}")).GetProperty("deliveries").GetArrayLength()
                    : 0;
            },
            n => n == 2,
            Deadline,
            "the handoff delivered to both CRMs");
        Assert.Equal(2, handoffs);
        return (await Settings.HandoffsAsync(client, "delivered"))[0].GetProperty("id").GetString()!;
    }

    internal static Dictionary<string, string?> Crms(SalesforceLookAlike salesforce, HubSpotLookAlike hubSpot, string suffix) =>
        Settings.With(SalesforceSettings(salesforce, suffix), HubSpotSettings(hubSpot, suffix));

    internal static Dictionary<string, string?> SalesforceSettings(SalesforceLookAlike salesforce, string suffix) => Settings.With(
        Settings.Fast("LeadHandoff:Adapters:Salesforce"),
        new()
        {
            ["LeadHandoff:Adapters:Salesforce:BaseUrl"] = salesforce.Server.BaseUrl.ToString(),
            ["LeadHandoff:Adapters:Salesforce:ClientId"] = SalesforceLookAlike.ClientId,
            ["LeadHandoff:Adapters:Salesforce:ClientSecret"] = SalesforceLookAlike.ClientSecret,
            ["LeadHandoff:Adapters:Salesforce:QueueName"] = "crm-salesforce-" + suffix,
        });

    internal static Dictionary<string, string?> HubSpotSettings(HubSpotLookAlike hubSpot, string suffix) => Settings.With(
        Settings.Fast("LeadHandoff:Adapters:HubSpot"),
        new()
        {
            ["LeadHandoff:Adapters:HubSpot:BaseUrl"] = hubSpot.Server.BaseUrl.ToString(),
            ["LeadHandoff:Adapters:HubSpot:AccessToken"] = HubSpotLookAlike.Token,
            ["LeadHandoff:Adapters:HubSpot:QueueName"] = "crm-hubspot-" + suffix,
        });
}
