using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace LeadHandoff.Testing;

/// A scripted November 2026 of handoffs and sales feedback on a fake clock, over the shipped policy (UTC calendar,
/// Monday to Friday 09:00–17:00; accept within 4 business hours, first contact within 8, six attempts at two a day),
/// and the SLA and funnel report numbers it must yield. The same script runs on SQLite and on PostgreSQL.
public sealed class SlaMonth(FakeTimeProvider clock, WebhookClient client)
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly string[] Stages = ["leads", "mqls", "sals", "opportunities", "customers"];

    /// Six handoffs: H1 won, H2 lost on price, H3 and H4 rejected for no budget, H5 accepted in time but contacted
    /// late (a first-contact breach), H6 never touched (both breaches, then given up and recycled); and two leads
    /// that never qualify.
    public async Task RunAsync()
    {
        await At(2, 10, 0);
        var h1 = await HandoffAsync();
        var h2 = await HandoffAsync();
        await LeadAsync();
        await At(2, 11, 0);
        await FeedbackAsync(h1, "accepted");
        await At(2, 12, 0);
        await FeedbackAsync(h2, "accepted");
        await At(2, 13, 0);
        await FeedbackAsync(h1, "contacted");
        await At(2, 16, 0);
        await FeedbackAsync(h2, "contacted");

        await At(3, 9, 0);
        var h3 = await HandoffAsync();
        var h4 = await HandoffAsync();
        await LeadAsync();
        await At(3, 10, 0);
        await FeedbackAsync(h3, "rejected", "no budget");
        await At(3, 11, 0);
        await FeedbackAsync(h4, "rejected", "no budget");
        await At(3, 12, 0);
        await FeedbackAsync(h1, "opportunity");

        await At(4, 16, 0);
        var h5 = await HandoffAsync();
        await At(5, 10, 0);
        var h6 = await HandoffAsync();
        await At(5, 11, 0);
        await FeedbackAsync(h5, "accepted");

        // Thursday 16:30: H6's acceptance (due 14:00) and H5's first contact (due 16:00) are breached.
        await At(5, 16, 30);
        await UntilAsync(
            () => client.GetJsonAsync("/v1/reports/sla?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z"),
            r => Breaches(r, "accept") == 1 && Breaches(r, "firstContact") == 1,
            "the monitor to raise Thursday's two breaches");

        await At(6, 10, 0);
        await FeedbackAsync(h5, "contacted");
        await At(10, 10, 0);
        await FeedbackAsync(h1, "won");

        // Wednesday 11 at 10:00 the attempts H6 was owed have had their three working days: it is given up.
        await At(11, 10, 30);
        await UntilAsync(() => client.GetJsonAsync($"/v1/handoffs/{h6}"), h => h.GetProperty("status").GetString() == "breached", "H6 to be given up");

        await At(12, 10, 0);
        await FeedbackAsync(h2, "lost", "price");
        clock.Advance(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) - clock.GetUtcNow());
    }

    /// The November numbers the script must produce, wherever it ran.
    public async Task AssertReportsAsync()
    {
        var report = await client.GetJsonAsync("/v1/reports/sla?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&bucket=month");
        var november = Assert.Single(report.GetProperty("periods").EnumerateArray().ToList());
        Assert.Equal("2026-11", november.GetProperty("period").GetString());
        Assert.Equal(6, november.GetProperty("mqlsDelivered").GetInt32());
        Assert.Equal(100, november.GetProperty("mqlGoal").GetInt32());
        Assert.False(november.GetProperty("goalMet").GetBoolean());
        Assert.Equal(3, november.GetProperty("accepted").GetInt32());
        Assert.Equal(2, november.GetProperty("rejected").GetInt32());
        Assert.Equal(0.5m, november.GetProperty("acceptanceRate").GetDecimal());

        var accept = november.GetProperty("timeToAcceptHours");
        Assert.Equal(3, accept.GetProperty("count").GetInt32());
        Assert.Equal(2d, accept.GetProperty("median").GetDouble());
        Assert.Equal(3d, accept.GetProperty("p90").GetDouble());
        Assert.Equal(4d, accept.GetProperty("targetHours").GetDouble());
        var contact = november.GetProperty("timeToFirstContactHours");
        Assert.Equal(6d, contact.GetProperty("median").GetDouble());
        Assert.Equal(10d, contact.GetProperty("p90").GetDouble());
        Assert.Equal(2, contact.GetProperty("withinTarget").GetInt32());
        Assert.False(november.GetProperty("followUpTargetMet").GetBoolean());

        Assert.Equal(1, Breaches(report, "accept"));
        Assert.Equal(2, Breaches(report, "firstContact"));
        Assert.Equal(2, november.GetProperty("recycled").GetInt32());
        Assert.Equal(1, november.GetProperty("givenUp").GetInt32());
        var rejection = Assert.Single(november.GetProperty("rejectionReasons").EnumerateArray().ToList());
        Assert.Equal(("no budget", 2), (rejection.GetProperty("reason").GetString(), rejection.GetProperty("count").GetInt32()));
        var loss = Assert.Single(november.GetProperty("lossReasons").EnumerateArray().ToList());
        Assert.Equal(("price", 1), (loss.GetProperty("reason").GetString(), loss.GetProperty("count").GetInt32()));

        // September and October delivered nothing: three months below goal and target flag the agreement.
        var review = report.GetProperty("review");
        Assert.True(review.GetProperty("flagged").GetBoolean());
        Assert.Equal(["2026-09", "2026-10", "2026-11"], review.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("month").GetString()));

        using var csvResponse = await client.Http.GetAsync("/v1/reports/sla?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&format=csv");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var lines = (await csvResponse.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("2026-11,2026-11-01T00:00:00.0000000+00:00,2026-12-01T00:00:00.0000000+00:00,6,100,false,3,2,0.5,2,3,4,", lines[1], StringComparison.Ordinal);
        Assert.Contains("no budget: 2", lines[1], StringComparison.Ordinal);

        // By week: everything was handed off in ISO week 45 (2 to 8 November), against a weekly goal of 23.
        var weeks = (await client.GetJsonAsync("/v1/reports/sla?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&bucket=week"))
            .GetProperty("periods").EnumerateArray().ToList();
        Assert.Equal("2026-W44", weeks[0].GetProperty("period").GetString());
        Assert.Equal(6, weeks.Single(w => w.GetProperty("period").GetString() == "2026-W45").GetProperty("mqlsDelivered").GetInt32());
        Assert.Equal(23, weeks[1].GetProperty("mqlGoal").GetInt32());
        Assert.Equal(6, weeks.Sum(w => w.GetProperty("mqlsDelivered").GetInt32()));

        var funnel = await client.GetJsonAsync("/v1/reports/funnel?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z");
        var reached = funnel.GetProperty("reached");
        Assert.Equal(
            [8, 6, 3, 1, 1],
            Stages.Select(s => reached.GetProperty(s).GetInt32()));
        var rates = funnel.GetProperty("conversionRates");
        Assert.Equal(0.75m, rates.GetProperty("leadToMql").GetDecimal());
        Assert.Equal(0.5m, rates.GetProperty("mqlToSal").GetDecimal());
        Assert.Equal(0.3333m, rates.GetProperty("salToOpportunity").GetDecimal());
        Assert.Equal(1m, rates.GetProperty("opportunityToSale").GetDecimal());
    }

    private static int Breaches(JsonElement report, string deadline) =>
        report.GetProperty("periods")[0].GetProperty("breaches").TryGetProperty(deadline, out var n) ? n.GetInt32() : 0;

    private Task At(int day, int hour, int minute)
    {
        clock.Advance(new DateTimeOffset(2026, 11, day, hour, minute, 0, TimeSpan.Zero) - clock.GetUtcNow());
        return Task.CompletedTask;
    }

    private async Task<string> HandoffAsync()
    {
        var email = Events.UniqueEmail();
        using var response = await client.PostAsync(Events.Qualifying(email).Json(), timestamp: clock.GetUtcNow());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var lead = await client.GetJsonAsync($"/v1/leads?email={Uri.EscapeDataString(email)}");
        var leadId = lead.GetProperty("id").GetString();
        var page = await client.GetJsonAsync("/v1/handoffs?limit=500");
        return page.GetProperty("items").EnumerateArray().Single(h => h.GetProperty("leadId").GetString() == leadId).GetProperty("id").GetString()!;
    }

    private async Task LeadAsync()
    {
        using var response = await client.PostAsync(Events.Qualifying(Events.UniqueEmail(), score: 10).Json(), timestamp: clock.GetUtcNow());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task FeedbackAsync(string handoffId, string type, string? reason = null)
    {
        using var response = await client.Http.PostAsJsonAsync(
            $"/v1/handoffs/{handoffId}/feedback", new { type, reason, at = clock.GetUtcNow(), by = "seller-1" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what) => Eventually.UntilAsync(
        async () =>
        {
            // The monitor waits on the fake clock between rounds; a nudge lets the next round run.
            clock.Advance(TimeSpan.FromMilliseconds(1));
            return await probe();
        },
        done,
        Patience,
        what);
}
