using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests;

public sealed class InteractionIntelligenceTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private readonly WebhookClient _client = fixture.Client;

    [Fact]
    public async Task Handoff_AfterSeveralInteractions_CarriesRankedInterestsAttributionScoresAndASummary()
    {
        var email = Events.UniqueEmail();
        var now = TimeProvider.System.GetUtcNow();
        await PostAsync(email, "pageViewed", now.AddHours(-3), "Blog: onboarding", "SEO", score: 10, "onboarding");
        await PostAsync(email, "contentDownloaded", now.AddHours(-2), "Security whitepaper", "Q4-ebook", score: 30, "security");
        await PostAsync(email, "meetingBooked", now.AddHours(-1), "Discovery call", "Q4-webinar", score: 80, "demo");

        var lead = await _client.GetJsonAsync($"/v1/leads?email={email}");
        Assert.Equal("mql", lead.GetProperty("stage").GetString());
        Assert.Equal(["demo", "security", "onboarding"], lead.GetProperty("interests").EnumerateArray().Select(i => i.GetProperty("topic").GetString()!).ToArray());
        Assert.Equal("SEO", lead.GetProperty("attribution").GetProperty("firstCampaign").GetString());
        Assert.Equal("Q4-webinar", lead.GetProperty("attribution").GetProperty("lastCampaign").GetString());
        Assert.Equal("A", lead.GetProperty("lastDecision").GetProperty("scores").GetProperty("grade").GetString());
        Assert.StartsWith("Jane Doe, VP Marketing at Acme (250 employees, Software, US). 3 interactions", lead.GetProperty("summary").GetString(), StringComparison.Ordinal);

        var leadId = lead.GetProperty("id").GetString();
        var handoffs = await _client.GetJsonAsync("/v1/handoffs?limit=500");
        var handoffId = handoffs.GetProperty("items").EnumerateArray().Single(h => h.GetProperty("leadId").GetString() == leadId).GetProperty("id").GetString();
        var message = (await _client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("message");

        var interests = message.GetProperty("interactions").GetProperty("topInterests").EnumerateArray().ToList();
        Assert.Equal(["demo", "security", "onboarding"], interests.Select(i => i.GetProperty("topic").GetString()!).ToArray());
        Assert.True(interests[0].GetProperty("weight").GetDouble() > interests[1].GetProperty("weight").GetDouble());
        var attribution = message.GetProperty("interactions").GetProperty("attribution");
        Assert.Equal("SEO", attribution.GetProperty("firstCampaign").GetString());
        Assert.Equal(ApiHost.SourceId, attribution.GetProperty("lastSource").GetString());
        Assert.Equal(100, message.GetProperty("scores").GetProperty("fitScore").GetInt32());
        Assert.True(message.GetProperty("scores").GetProperty("engagementScore").GetInt32() >= 40);
        var summary = message.GetProperty("summary").GetString()!;
        Assert.Contains("Most interested in demo, security and onboarding.", summary, StringComparison.Ordinal);
        Assert.Contains("1 meeting booked", summary, StringComparison.Ordinal);
        var buyingSignal = message.GetProperty("decision").GetProperty("rulesMatched").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "buying-signal");
        Assert.Contains("1 meetingBooked in 60d", buyingSignal.GetProperty("observed").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decision_ForAnEngagedLead_StaysNotYetUntilTheBuyingSignalArrives()
    {
        var email = Events.UniqueEmail();
        var now = TimeProvider.System.GetUtcNow();
        await PostAsync(email, "emailOpened", now.AddHours(-2), "Newsletter", "Nurture", score: 90, "news");

        var before = await _client.GetJsonAsync($"/v1/leads?email={email}");
        Assert.Equal("notyet", before.GetProperty("lastDecision").GetProperty("outcome").GetString());
        var unmet = before.GetProperty("lastDecision").GetProperty("rules").EnumerateArray().Where(r => !r.GetProperty("matched").GetBoolean()).Select(r => r.GetProperty("ruleId").GetString());
        Assert.Equal(["buying-signal"], unmet);

        await PostAsync(email, "pageViewed", now.AddHours(-1), "Pricing", "Nurture", score: 90, "pricing");

        Assert.Equal("mql", (await _client.GetJsonAsync($"/v1/leads?email={email}")).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task Timeline_PagedOneByOne_InterleavesInteractionsAndDecisionsNewestFirst()
    {
        var email = Events.UniqueEmail();
        var now = TimeProvider.System.GetUtcNow();
        await PostAsync(email, "emailOpened", now.AddHours(-2), "Newsletter", "Nurture", score: 10, "news");
        await PostAsync(email, "formSubmitted", now.AddHours(-1), "Demo request", "Q4", score: 80, "demo");
        var leadId = (await _client.GetJsonAsync($"/v1/leads?email={email}")).GetProperty("id").GetString();

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _client.GetJsonAsync($"/v1/leads/{leadId}/timeline?limit=1" + (cursor is null ? string.Empty : "&cursor=" + cursor));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => $"{e.GetProperty("kind").GetString()}:{e.GetProperty("type").GetString()}"));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && seen.Count < 10);

        Assert.Equal(["decision:qualified", "interaction:formSubmitted", "decision:notyet", "interaction:emailOpened"], seen);
        var all = await _client.GetJsonAsync($"/v1/leads/{leadId}/timeline");
        var notYet = all.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "notyet");
        Assert.Equal("unmet: min-score, buying-signal", notYet.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Timeline_ForeignCursor_IsRefused()
    {
        using var response = await _client.Http.GetAsync($"/v1/leads/{Guid.NewGuid()}/timeline?cursor=42");
        var problem = await WebhookRejectionTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("cursor", out _));
    }

    private async Task PostAsync(string email, string type, DateTimeOffset at, string name, string campaign, int score, string topic)
    {
        var node = Events.Qualifying(email, type: type, score: score);
        node["occurredAt"] = at.ToString("O", CultureInfo.InvariantCulture);
        node["interaction"] = new JsonObject
        {
            ["channel"] = "web",
            ["name"] = name,
            ["campaign"] = campaign,
            ["topics"] = new JsonArray(topic),
        };
        using var response = await _client.PostAsync(node.Json());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
