using System.Net;
using System.Text.Json;
using LeadHandoff.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadHandoff.Api.Tests;

/// Sales' side of a handoff as the API shows it, on a fake clock over the shipped calendar (UTC, Monday to Friday
/// 09:00–17:00): an MQL on Friday 16:00 must be accepted by Monday 12:00 and contacted by Monday 16:00.
public sealed class HandoffSalesViewTests
{
    private static readonly DateTimeOffset FridayAfternoon = new(2026, 11, 20, 16, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(FridayAfternoon);

    [Fact]
    public async Task Handoff_AcceptedLateAndAttempted_ShowsSalesStateAttemptsDeadlinesAndAlerts()
    {
        await using var host = new ApiHost(
            new Dictionary<string, string?> { ["LeadHandoff:Sla:Interval"] = "00:00:00.001" },
            services => services.AddSingleton<TimeProvider>(_clock));
        using var client = host.Webhooks();
        var (handoffId, _) = await Handoffs.CreateAsync(client, _clock.GetUtcNow());

        var fresh = (await client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("sales");
        Assert.Equal("awaitingAcceptance", fresh.GetProperty("state").GetString());
        Assert.Equal(0, fresh.GetProperty("contactAttempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("acceptedAt").ValueKind);
        Assert.Empty(fresh.GetProperty("alerts").EnumerateArray());

        // Monday 10:00: half the acceptance time is gone. Monday 12:30: the acceptance deadline has passed and the
        // first-contact reminder is due.
        await AdvanceUntilAsync(client, handoffId, new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), ("accept", "reminder"));
        await AdvanceUntilAsync(client, handoffId, new DateTimeOffset(2026, 11, 23, 12, 30, 0, TimeSpan.Zero), ("accept", "breach"), ("firstContact", "reminder"));

        var acceptedAt = _clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.Accepted, (await Handoffs.FeedbackAsync(client, handoffId, "accepted", at: acceptedAt)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await Handoffs.FeedbackAsync(client, handoffId, "contactAttempted", at: acceptedAt)).Status);

        var handoff = await client.GetJsonAsync($"/v1/handoffs/{handoffId}");
        var sales = handoff.GetProperty("sales");
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), handoff.GetProperty("acceptBy").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero), handoff.GetProperty("firstContactBy").GetDateTimeOffset());
        Assert.NotEqual("awaitingAcceptance", sales.GetProperty("state").GetString());
        Assert.Equal(acceptedAt, sales.GetProperty("acceptedAt").GetDateTimeOffset());
        Assert.Equal(1, sales.GetProperty("contactAttempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, sales.GetProperty("firstContactAt").ValueKind);
        Assert.InRange(sales.GetProperty("acceptHours").GetDouble(), 4.5, 4.6);
        var breach = sales.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("deadline").GetString() == "accept" && a.GetProperty("kind").GetString() == "breach");
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), breach.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Contains(("accept", "reminder"), Alerts(handoff));

        // The list carries the same sales view, its alerts read for the whole page at once.
        var page = await client.GetJsonAsync("/v1/handoffs?limit=500");
        var item = page.GetProperty("items").EnumerateArray().Single(h => h.GetProperty("id").GetString() == handoffId);
        Assert.Equal(sales.GetProperty("state").GetString(), item.GetProperty("sales").GetProperty("state").GetString());
        Assert.Equal(1, item.GetProperty("sales").GetProperty("contactAttempts").GetInt32());
        Assert.Equal(Alerts(handoff), Alerts(item));
    }

    private async Task AdvanceUntilAsync(WebhookClient client, string handoffId, DateTimeOffset to, params (string, string)[] alerts)
    {
        _clock.Advance(to - _clock.GetUtcNow());
        await Eventually.UntilAsync(
            () =>
            {
                // A round re-arms its wait on the fake clock once it is done; nudging the clock lets the next one run.
                _clock.Advance(TimeSpan.FromMilliseconds(1));
                return client.GetJsonAsync($"/v1/handoffs/{handoffId}");
            },
            h => alerts.All(a => Alerts(h).Contains(a)),
            TimeSpan.FromSeconds(20),
            $"alerts {string.Join(", ", alerts)} on the handoff");
    }

    private static List<(string?, string?)> Alerts(JsonElement handoff) =>
        handoff.GetProperty("sales").GetProperty("alerts").EnumerateArray()
            .Select(a => (a.GetProperty("deadline").GetString(), a.GetProperty("kind").GetString()))
            .ToList();
}
