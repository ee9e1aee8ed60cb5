using System.Collections.Concurrent;
using LeadHandoff.Contracts.V1;
using LeadHandoff.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadHandoff.Api.Tests;

/// The monitor on a fake clock, over the shipped calendar (UTC, Monday to Friday 09:00–17:00): a lead that becomes
/// an MQL on Friday 2026-11-20 at 16:00 must be accepted by Monday 12:00 and contacted by Monday 16:00; six attempts
/// at two a day run out on Thursday 16:00.
public sealed class SlaMonitorTests
{
    private static readonly DateTimeOffset FridayAfternoon = new(2026, 11, 20, 16, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(FridayAfternoon);
    private readonly ConcurrentQueue<object> _messages = new();
    private WebhookClient _client = null!;

    [Fact]
    public async Task Monitor_ClockAcrossAWeekend_RaisesTheLadderEachBreachOnceAndGivesUp()
    {
        await using var host = new ApiHost(
            new Dictionary<string, string?> { ["LeadHandoff:Sla:Interval"] = "00:00:00.001" },
            services => services.AddSingleton<TimeProvider>(_clock));
        using var client = host.Webhooks();
        _client = client;
        var endpoint = host.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint("sla-watch-" + Guid.NewGuid().ToString("N"), e =>
        {
            e.Handler<SlaAtRisk>(c => Record(c.Message));
            e.Handler<SlaBreached>(c => Record(c.Message));
            e.Handler<LeadRecycled>(c => Record(c.Message));
        });
        await endpoint.Ready;

        var (handoffId, leadId) = await Handoffs.CreateAsync(_client, _clock.GetUtcNow());
        var id = Guid.Parse(handoffId);
        var deadlines = await _client.GetJsonAsync($"/v1/handoffs/{handoffId}");
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), deadlines.GetProperty("acceptBy").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero), deadlines.GetProperty("firstContactBy").GetDateTimeOffset());

        // Saturday: nothing is at risk on a weekend.
        await AdvanceToAsync(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        // Monday 10:00: half the acceptance time (one hour on Friday, one on Monday) is gone.
        await AdvanceToAsync(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        await WaitForAsync<SlaAtRisk>(m => m.HandoffId == id && m.Deadline == "accept" && m.Level == "reminder");

        // Monday 12:30: the acceptance deadline passed half an hour ago; the first-contact reminder is due.
        await AdvanceToAsync(new DateTimeOffset(2026, 11, 23, 12, 30, 0, TimeSpan.Zero));
        var breach = await WaitForAsync<SlaBreached>(m => m.HandoffId == id && m.Deadline == "accept");
        Assert.InRange(breach.Overdue, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(31));
        Assert.Equal("sales", breach.Owner);
        await WaitForAsync<SlaAtRisk>(m => m.HandoffId == id && m.Deadline == "firstContact" && m.Level == "reminder");

        // Sales accepts late and tries once; the first-contact deadline still passes.
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await Handoffs.FeedbackAsync(_client, handoffId, "contactAttempted", at: _clock.GetUtcNow())).Status);
        await AdvanceToAsync(new DateTimeOffset(2026, 11, 23, 16, 5, 0, TimeSpan.Zero));
        await WaitForAsync<SlaBreached>(m => m.HandoffId == id && m.Deadline == "firstContact");

        // Thursday 16:05: the attempt window is over without a contact: the lead goes back to nurture.
        await AdvanceToAsync(new DateTimeOffset(2026, 11, 26, 16, 5, 0, TimeSpan.Zero));
        var recycled = await WaitForAsync<LeadRecycled>(m => m.HandoffId == id);
        Assert.Equal("attemptWindowElapsed", recycled.Reason);
        Assert.Equal("breached", (await _client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("status").GetString());
        Assert.Equal("nurture", (await _client.GetJsonAsync($"/v1/leads/{leadId}")).GetProperty("stage").GetString());

        // A later round finds nothing more to say about this handoff.
        var (otherId, _) = await Handoffs.CreateAsync(_client, _clock.GetUtcNow());
        await AdvanceToAsync(new DateTimeOffset(2026, 11, 27, 16, 0, 0, TimeSpan.Zero));
        await WaitForAsync<SlaBreached>(m => m.HandoffId == Guid.Parse(otherId) && m.Deadline == "accept");
        var mine = _messages.Where(m => m is SlaBreached b && b.HandoffId == id).Cast<SlaBreached>().ToList();
        Assert.Equal(["accept", "firstContact"], mine.Select(b => b.Deadline).Order(StringComparer.Ordinal));
        Assert.Single(_messages.OfType<LeadRecycled>(), m => m.HandoffId == id);
        Assert.DoesNotContain(_messages.OfType<SlaAtRisk>(), m => m.HandoffId == id && m.Level == "escalation" && m.Deadline == "accept");
    }

    [Fact]
    public async Task Monitor_DeadlinePassedWhileNoReplicaRan_RaisesTheBreachAfterTheRestart()
    {
        var data = Directory.CreateTempSubdirectory("leadhandoff-restart-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:LeadHandoff"] = ApiHost.SqliteConnectionString(data),
            ["LeadHandoff:Sla:Interval"] = "00:00:00.001",
        };
        string handoffId;
        await using (var before = new ApiHost(settings, services => services.AddSingleton<TimeProvider>(_clock)))
        {
            using var client = before.Webhooks();
            (handoffId, _) = await Handoffs.CreateAsync(client, _clock.GetUtcNow());
        }

        // Down over the whole weekend and past Monday's acceptance deadline.
        _clock.Advance(new DateTimeOffset(2026, 11, 23, 13, 0, 0, TimeSpan.Zero) - _clock.GetUtcNow());
        await using (var after = new ApiHost(settings, services => services.AddSingleton<TimeProvider>(_clock)))
        {
            // The monitor's first round may run before a test could bind to the bus, so the breach is read where it is
            // recorded (committed together with its outbox message): the handoff's alerts.
            using var client = after.Webhooks();
            var alerts = await Eventually.UntilAsync(
                async () =>
                {
                    // The monitor waits on the fake clock between rounds: a nudge lets another round run if one failed.
                    _clock.Advance(TimeSpan.FromMilliseconds(1));
                    return (await client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("sales").GetProperty("alerts").EnumerateArray().ToList();
                },
                a => a.Exists(x => x.GetProperty("deadline").GetString() == "accept" && x.GetProperty("kind").GetString() == "breach"),
                TimeSpan.FromSeconds(20),
                "the acceptance breach after the restart");

            var breach = alerts.Single(x => x.GetProperty("deadline").GetString() == "accept" && x.GetProperty("kind").GetString() == "breach");
            var overdue = breach.GetProperty("raisedAt").GetDateTimeOffset() - breach.GetProperty("dueAt").GetDateTimeOffset();
            Assert.InRange(overdue, TimeSpan.FromHours(1), TimeSpan.FromHours(1.1));
            // The acceptance warnings are stale once its deadline has passed; only the first-contact reminder is due.
            Assert.DoesNotContain(alerts, x => x.GetProperty("deadline").GetString() == "accept" && x.GetProperty("kind").GetString() != "breach");
        }

        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task Monitor_ContactedHandoffsFillingABatch_DoNotHoldBackANewerHandoffsBreach()
    {
        // One handoff per round: a contacted handoff (open, nothing left to watch) must be parked, or it would be
        // claimed again every round ahead of the newer handoff whose acceptance deadline passes.
        await using var host = new ApiHost(
            new Dictionary<string, string?> { ["LeadHandoff:Sla:Interval"] = "00:00:00.001", ["LeadHandoff:Sla:BatchSize"] = "1" },
            services => services.AddSingleton<TimeProvider>(_clock));
        using var client = host.Webhooks();
        _client = client;
        await host.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint("sla-parked-" + Guid.NewGuid().ToString("N"), e =>
        {
            e.Handler<SlaAtRisk>(c => Record(c.Message));
            e.Handler<SlaBreached>(c => Record(c.Message));
        }).Ready;

        var (contactedId, _) = await Handoffs.CreateAsync(_client, _clock.GetUtcNow());
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await Handoffs.FeedbackAsync(_client, contactedId, "contacted", at: _clock.GetUtcNow())).Status);
        var (waitingId, _) = await Handoffs.CreateAsync(_client, _clock.GetUtcNow());

        // Monday 12:30: the second handoff's acceptance deadline passed half an hour ago.
        await AdvanceToAsync(new DateTimeOffset(2026, 11, 23, 12, 30, 0, TimeSpan.Zero));
        await WaitForAsync<SlaBreached>(m => m.HandoffId == Guid.Parse(waitingId) && m.Deadline == "accept");

        Assert.DoesNotContain(_messages.OfType<SlaBreached>(), m => m.HandoffId == Guid.Parse(contactedId));
    }

    private Task Record(object message)
    {
        _messages.Enqueue(message);
        return Task.CompletedTask;
    }

    private Task AdvanceToAsync(DateTimeOffset to)
    {
        _clock.Advance(to - _clock.GetUtcNow());
        return Task.CompletedTask;
    }

    private async Task<T> WaitForAsync<T>(Func<T, bool> match)
        where T : class
    {
        var found = await Eventually.UntilAsync(
            () =>
            {
                // A round re-arms its wait on the fake clock once it is done; nudging the clock lets the next one run.
                _clock.Advance(TimeSpan.FromMilliseconds(1));
                return Task.FromResult(_messages.OfType<T>().FirstOrDefault(match));
            },
            m => m is not null,
            TimeSpan.FromSeconds(20),
            "a " + typeof(T).Name);
        return found!;
    }
}
