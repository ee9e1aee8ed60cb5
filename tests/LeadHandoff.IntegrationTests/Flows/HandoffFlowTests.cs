using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadHandoff.IntegrationTests.Infrastructure;
using LeadHandoff.Testing;
using Npgsql;

namespace LeadHandoff.IntegrationTests.Flows;

[Collection(InfrastructureCollection.Name)]
public sealed class HandoffFlowTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task QualifyingEvent_OnPostgresAndRabbitMq_EndsAsExactlyOneMessageOnTheQueue()
    {
        var database = await infrastructure.Postgres.CreateDatabaseAsync(Hosts.UniqueName("flow"));
        var queue = await HandoffQueue.DeclareAsync(infrastructure.RabbitMq.AmqpUri, Hosts.UniqueName("flow"));
        await using var host = new ApiHost(Hosts.Production(infrastructure, database));
        using var client = host.Webhooks();
        var email = Events.UniqueEmail();
        var body = Events.Qualifying(email).Json();

        using var first = await client.PostAsync(body);
        using var redelivered = await client.PostAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(1, (await redelivered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicates").GetInt32());
        var published = await Eventually.UntilAsync(
            () => Hosts.HandoffsAsync(client, "published"), h => h.Count == 1, Deadline, "the handoff to be published");
        var handoffId = published[0].GetProperty("id").GetString();
        await Eventually.UntilAsync(queue.DrainAsync, _ => queue.Received.Count >= 1, Deadline, "the message on RabbitMQ");

        var envelope = Assert.Single(queue.Received);
        Assert.Equal(handoffId, envelope.GetProperty("messageId").GetString());
        var message = envelope.GetProperty("message");
        Assert.Equal(handoffId, message.GetProperty("handoffId").GetString());
        Assert.Equal(email, message.GetProperty("lead").GetProperty("email").GetString());
        Assert.Equal("qualified", message.GetProperty("decision").GetProperty("outcome").GetString());
        Assert.Equal(1, message.GetProperty("interactions").GetProperty("total").GetInt32());

        // The rows are really in PostgreSQL: one event, one handoff, its outbox row marked published.
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT count(*) FROM interaction_events"));
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT count(*) FROM handoffs WHERE \"Status\" = 'published'"));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM outbox_messages WHERE \"PublishedAt\" IS NULL"));
    }

    [Fact]
    public async Task Replay_OfAPublishedHandoff_PublishesTheSameMessageIdAgain()
    {
        var database = await infrastructure.Postgres.CreateDatabaseAsync(Hosts.UniqueName("replay"));
        var queue = await HandoffQueue.DeclareAsync(infrastructure.RabbitMq.AmqpUri, Hosts.UniqueName("replay"));
        await using var host = new ApiHost(Hosts.Production(infrastructure, database));
        using var client = host.Webhooks();
        using var posted = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());
        var handoff = (await Eventually.UntilAsync(
            () => Hosts.HandoffsAsync(client, "published"), h => h.Count == 1, Deadline, "the handoff to be published"))[0];
        var handoffId = handoff.GetProperty("id").GetString();

        using var replay = await client.Http.PostAsync($"/v1/handoffs/{handoffId}/replay", null);
        using var unknown = await client.Http.PostAsync($"/v1/handoffs/{Guid.NewGuid()}/replay", null);

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await Eventually.UntilAsync(queue.DrainAsync, _ => queue.Received.Count >= 2, Deadline, "the original and the replayed message");
        Assert.All(queue.Received, m => Assert.Equal(handoffId, m.GetProperty("messageId").GetString()));
        Assert.Single(await Hosts.HandoffsAsync(client));
    }

    [Fact]
    public async Task BlacklistedLead_OnPostgres_IsDisqualifiedWithItsReasonStoredAndNothingPublished()
    {
        var database = await infrastructure.Postgres.CreateDatabaseAsync(Hosts.UniqueName("blacklist"));
        await using var host = new ApiHost(Hosts.Production(infrastructure, database));
        using var client = host.Webhooks();

        using var response = await client.PostAsync(Events.Qualifying(Events.UniqueEmail("gmail.com")).Json());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT count(*) FROM decisions WHERE \"Outcome\" = 'disqualified' AND \"RulesJson\" LIKE '%free-mail%'"));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM handoffs"));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task BrokerDown_WhileEventsKeepArriving_LosesNothingAndPublishesOnceItIsBack()
    {
        Assert.True(infrastructure.RabbitMq.CanRestart, "This test stops and restarts the broker; it needs a private node.");
        var database = await infrastructure.Postgres.CreateDatabaseAsync(Hosts.UniqueName("outage"));
        var queue = await HandoffQueue.DeclareAsync(infrastructure.RabbitMq.AmqpUri, Hosts.UniqueName("outage"));
        await using var host = new ApiHost(Hosts.Production(infrastructure, database));
        using var client = host.Webhooks();
        using (var warmup = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json()))
        {
            Assert.Equal(HttpStatusCode.Accepted, warmup.StatusCode);
        }

        await Eventually.UntilAsync(() => Hosts.HandoffsAsync(client, "published"), h => h.Count == 1, Deadline, "the first handoff to be published");

        const int duringOutage = 20;
        await infrastructure.RabbitMq.StopAsync();
        try
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, duringOutage)
                .Select(_ => client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json())));
            await AssertAllAcceptedAsync(responses);
            Assert.Equal(duringOutage, (await Hosts.HandoffsAsync(client, "pending")).Count);

            // Readiness shows the broker down as Degraded and stays 200: webhooks are still accepted into the database.
            var readiness = await Eventually.UntilAsync(
                () => client.GetJsonAsync("/health/ready"), r => r.GetProperty("status").GetString() == "Degraded", Deadline, "readiness to report the broker down");
            Assert.Equal("Degraded", readiness.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString());
            Assert.Equal("Healthy", readiness.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        }
        finally
        {
            await infrastructure.RabbitMq.StartAsync();
        }

        await Eventually.UntilAsync(
            () => client.GetJsonAsync("/health/ready"), r => r.GetProperty("status").GetString() == "Healthy", TimeSpan.FromSeconds(120), "readiness to recover");
        var all = await Eventually.UntilAsync(
            () => Hosts.HandoffsAsync(client, "published"), h => h.Count == duringOutage + 1, TimeSpan.FromSeconds(120), "every handoff to be published after the broker came back");
        await Eventually.UntilAsync(queue.DrainAsync, _ => queue.HandoffIds.Distinct().Count() == duringOutage + 1, Deadline, "every handoff on the queue");

        Assert.Equal(all.Select(h => h.GetProperty("id").GetString()).Order(), queue.HandoffIds.Distinct().Order());
    }

    [Fact]
    public async Task DatabaseDown_Webhook_IsRefusedWith503AndStoredOnRetry()
    {
        Assert.True(infrastructure.Postgres.CanRestart, "This test stops and restarts PostgreSQL; it needs a private server.");
        var database = await infrastructure.Postgres.CreateDatabaseAsync(Hosts.UniqueName("dbdown"));
        await using var host = new ApiHost(Hosts.Production(infrastructure, database));
        using var client = host.Webhooks();
        var email = Events.UniqueEmail();
        var body = Events.Qualifying(email).Json();

        await infrastructure.Postgres.StopAsync();
        try
        {
            using var refused = await client.PostAsync(body, webhookId: "msg-dbdown");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("urn:leadhandoff:problem:not-stored", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
            Assert.True(refused.Headers.RetryAfter is not null);
            using var readiness = await client.Http.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        }
        finally
        {
            await infrastructure.Postgres.StartAsync();
        }

        var retried = await Eventually.UntilAsync(
            () => client.PostAsync(body, webhookId: "msg-dbdown"), r => r.StatusCode == HttpStatusCode.Accepted, Deadline, "the retry to be accepted");
        Assert.Equal(1, (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        Assert.Equal("mql", (await client.GetJsonAsync($"/v1/leads?email={email}")).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task TwoReplicas_OnOneDatabase_ReceivingTheSameEvents_HandOffEachLeadExactlyOnce()
    {
        var database = await infrastructure.Postgres.CreateDatabaseAsync(Hosts.UniqueName("replicas"));
        var queue = await HandoffQueue.DeclareAsync(infrastructure.RabbitMq.AmqpUri, Hosts.UniqueName("replicas"));
        await using var first = new ApiHost(Hosts.Production(infrastructure, database));
        await using var second = new ApiHost(Hosts.Production(infrastructure, database));
        using var a = first.Webhooks();
        using var b = second.Webhooks();
        const int leads = 25;
        var bodies = Enumerable.Range(0, leads).Select(_ => Events.Qualifying(Events.UniqueEmail()).Json()).ToList();

        // Every event goes to both replicas at once, as a platform retrying through a load balancer would do.
        var responses = await Task.WhenAll(bodies.SelectMany(body => new[] { a.PostAsync(body), b.PostAsync(body) }));

        await AssertAllAcceptedAsync(responses);
        var answers = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(leads, answers.Sum(x => x.GetProperty("accepted").GetInt32()));
        Assert.Equal(leads, answers.Sum(x => x.GetProperty("duplicates").GetInt32()));
        var published = await Eventually.UntilAsync(
            () => Hosts.HandoffsAsync(a, "published"), h => h.Count == leads, Deadline, "every handoff to be published");
        Assert.Equal(leads, published.Select(h => h.GetProperty("leadId").GetString()).Distinct().Count());
        await Eventually.UntilAsync(queue.DrainAsync, _ => queue.Received.Count >= leads, Deadline, "every message on the queue");

        // Every outbox row is marked published by now, so anything still to come would be a double publication.
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM outbox_messages WHERE \"PublishedAt\" IS NULL"));
        await queue.DrainAsync();
        Assert.Equal(leads, queue.Received.Count);
        Assert.Equal(leads, queue.HandoffIds.Distinct().Count());
    }

    [Fact]
    public async Task TwoReplicas_UpdatingOneLeadAtOnce_KeepEveryEventAndHandOffOnce()
    {
        var database = await infrastructure.Postgres.CreateDatabaseAsync(Hosts.UniqueName("samelead"));
        await using var first = new ApiHost(Hosts.Production(infrastructure, database));
        await using var second = new ApiHost(Hosts.Production(infrastructure, database));
        using var a = first.Webhooks();
        using var b = second.Webhooks();
        var email = Events.UniqueEmail();
        using (var created = await a.PostAsync(Events.Qualifying(email, score: 10).Json()))
        {
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        }

        // Different events for the same lead through both replicas at once: the lead's version check makes one
        // replica's commit fail and redo its batch, instead of silently overwriting the other's update.
        const int rounds = 10;
        var responses = await Task.WhenAll(Enumerable.Range(0, rounds).SelectMany(_ => new[]
        {
            a.PostAsync(Events.Qualifying(email, type: "pageViewed").Json()),
            b.PostAsync(Events.Qualifying(email, type: "emailClicked").Json()),
        }));

        await AssertAllAcceptedAsync(responses);
        var lead = await a.GetJsonAsync($"/v1/leads?email={email}");
        Assert.Equal(1 + (2 * rounds), lead.GetProperty("interactions").GetProperty("total").GetInt32());
        Assert.Equal(rounds, lead.GetProperty("interactions").GetProperty("countsByType").GetProperty("pageViewed").GetInt32());
        Assert.Equal(rounds, lead.GetProperty("interactions").GetProperty("countsByType").GetProperty("emailClicked").GetInt32());
        Assert.Single(await Hosts.HandoffsAsync(a));
    }

    /// Every response is 202; otherwise the failure names each refusal's status and problem detail.
    private static async Task AssertAllAcceptedAsync(IEnumerable<HttpResponseMessage> responses)
    {
        var refused = new List<string>();
        foreach (var response in responses.Where(r => r.StatusCode != HttpStatusCode.Accepted))
        {
            refused.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        Assert.True(refused.Count == 0, $"{refused.Count} request(s) refused:\n{string.Join('\n', refused.Distinct())}");
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
