using System.Net;
using LeadHandoff.IntegrationTests.Flows;
using LeadHandoff.IntegrationTests.Infrastructure;
using LeadHandoff.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace LeadHandoff.IntegrationTests.Sla;

[Collection(InfrastructureCollection.Name)]
public sealed class SlaFlowTests(InfrastructureFixture infrastructure)
{
    private const string BreachExchange = "LeadHandoff.Contracts.V1:SlaBreached";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Nudge = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Reports_ScriptedMonthOnPostgres_YieldTheExpectedNumbers()
    {
        var database = await infrastructure.Postgres.CreateDatabaseAsync(Hosts.UniqueName("slamonth"));
        var clock = new FakeTimeProvider(SlaMonth.Start);
        await using var host = new ApiHost(
            new Dictionary<string, string?>
            {
                ["LeadHandoff:Storage:Provider"] = "Postgres",
                ["ConnectionStrings:LeadHandoff"] = database,
                ["LeadHandoff:Sla:Interval"] = "00:00:00.001",
            },
            services => services.AddSingleton<TimeProvider>(clock));
        using var client = host.Webhooks();
        var month = new SlaMonth(clock, client);

        await month.RunAsync();

        await month.AssertReportsAsync();
    }

    [Fact]
    public async Task TwoReplicas_OnOnePostgres_RaiseEachBreachExactlyOnce()
    {
        const int Count = 20;
        var database = await infrastructure.Postgres.CreateDatabaseAsync(Hosts.UniqueName("slareplicas"));
        var queue = await HandoffQueue.DeclareAsync(infrastructure.RabbitMq.AmqpUri, Hosts.UniqueName("breaches"), BreachExchange);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 16, 0, 0, TimeSpan.Zero));
        var settings = Hosts.Production(infrastructure, database);
        settings["LeadHandoff:Sla:Interval"] = "00:00:00.001";
        await using var first = new ApiHost(settings, services => services.AddSingleton<TimeProvider>(clock));
        await using var second = new ApiHost(settings, services => services.AddSingleton<TimeProvider>(clock));
        using var one = first.Webhooks();
        using var two = second.Webhooks();
        for (var i = 0; i < Count; i++)
        {
            using var response = await (i % 2 == 0 ? one : two).PostAsync(Events.Qualifying(Events.UniqueEmail()).Json(), timestamp: clock.GetUtcNow());
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // Monday 12:30: every acceptance deadline (Monday 12:00) has passed; later, every first-contact one (16:00).
        clock.Advance(new DateTimeOffset(2026, 11, 23, 12, 30, 0, TimeSpan.Zero) - clock.GetUtcNow());
        await NudgeUntilAsync(clock, queue, Count);
        clock.Advance(new DateTimeOffset(2026, 11, 23, 16, 30, 0, TimeSpan.Zero) - clock.GetUtcNow());
        await NudgeUntilAsync(clock, queue, 2 * Count);

        // More rounds of both replicas find nothing new to raise.
        clock.Advance(TimeSpan.FromHours(1));
        await NudgeUntilAsync(clock, queue, 2 * Count);
        var breaches = queue.Received.Select(e => e.GetProperty("message")).Select(m => (m.GetProperty("handoffId").GetString(), m.GetProperty("deadline").GetString())).ToList();
        Assert.Equal(2 * Count, breaches.Count);
        Assert.Equal(2 * Count, breaches.Distinct().Count());
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM sla_alerts WHERE \"Kind\" = 'breach'", connection);
        Assert.Equal(2L * Count, (long)(await command.ExecuteScalarAsync())!);
    }

    /// Lets both replicas' monitors run rounds (each waits on the shared fake clock) until the queue holds the
    /// expected number of breaches, and then a few rounds more, so that a late duplicate would show. Each nudge is
    /// long enough for an outbox row whose publication failed to come due again (the fake clock is the app's).
    private static async Task NudgeUntilAsync(FakeTimeProvider clock, HandoffQueue queue, int expected)
    {
        await Eventually.UntilAsync(
            async () =>
            {
                clock.Advance(Nudge);
                await queue.DrainAsync();
                return queue.Received.Count;
            },
            n => n >= expected,
            Deadline,
            $"{expected} breaches on RabbitMQ");
        for (var i = 0; i < 20; i++)
        {
            clock.Advance(Nudge);
            await queue.DrainAsync();
        }
    }
}
