using System.Net;
using LeadHandoff.Contracts.V1;
using LeadHandoff.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace LeadHandoff.Api.Tests;

public sealed class SalesFeedbackTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private readonly WebhookClient _client = fixture.Client;

    [Fact]
    public async Task Feedback_ThroughTheFunnel_MovesHandoffAndLeadAndTheTimelineShowsEachStep()
    {
        var (handoffId, leadId) = await Handoffs.CreateAsync(_client);

        var steps = new[] { ("accepted", "accepted", "sal"), ("contacted", "contacted", "sal"), ("opportunity", "opportunity", "opportunity"), ("won", "won", "customer") };
        foreach (var (type, status, stage) in steps)
        {
            var (code, body) = await Handoffs.FeedbackAsync(_client, handoffId, type);
            Assert.Equal(HttpStatusCode.Accepted, code);
            Assert.Equal(status, body.GetProperty("status").GetString());
            Assert.Equal(stage, body.GetProperty("stage").GetString());
        }

        Assert.Equal("won", (await _client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("status").GetString());
        Assert.Equal("customer", (await _client.GetJsonAsync($"/v1/leads/{leadId}")).GetProperty("stage").GetString());
        var timeline = await _client.GetJsonAsync($"/v1/leads/{leadId}/timeline");
        var stageSteps = timeline.GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "stage")
            .Select(e => e.GetProperty("type").GetString())
            .ToList();
        Assert.Equal(["won", "opportunity", "contacted", "accepted"], stageSteps);
    }

    [Fact]
    public async Task Feedback_OnAHandoffOfARecordMergedAway_MovesTheSurvivingLead()
    {
        var email = Events.UniqueEmail();
        // The older record survives the merge; the handoff was made for the newer one.
        var records = Events.MergingRecords(email, olderScore: 10, newerScore: 72);
        using (var first = await _client.PostAsync(records[0].Json()))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        using (var second = await _client.PostAsync(records[1].Json()))
        {
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        }

        var mergedAwayId = (await _client.GetJsonAsync($"/v1/leads?email={email}")).GetProperty("id").GetString();
        var handoffId = (await _client.GetJsonAsync("/v1/handoffs?limit=500")).GetProperty("items").EnumerateArray()
            .Single(h => h.GetProperty("leadId").GetString() == mergedAwayId).GetProperty("id").GetString()!;
        using (var third = await _client.PostAsync(records[2].Json()))
        {
            Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        }

        var survivorId = (await _client.GetJsonAsync($"/v1/leads?email={email}")).GetProperty("id").GetString();
        Assert.NotEqual(mergedAwayId, survivorId);

        var (code, body) = await Handoffs.FeedbackAsync(_client, handoffId, "accepted");

        Assert.Equal(HttpStatusCode.Accepted, code);
        Assert.Equal("sal", body.GetProperty("stage").GetString());
        var survivor = await _client.GetJsonAsync($"/v1/leads/{survivorId}");
        Assert.Equal("sal", survivor.GetProperty("stage").GetString());
        var timeline = await _client.GetJsonAsync($"/v1/leads/{survivorId}/timeline");
        Assert.Contains(timeline.GetProperty("items").EnumerateArray(), e => e.GetProperty("kind").GetString() == "stage" && e.GetProperty("type").GetString() == "accepted");
    }

    [Fact]
    public async Task Feedback_AcceptedTwice_Is409NamingTheCurrentStageAndChangesNothing()
    {
        var (handoffId, leadId) = await Handoffs.CreateAsync(_client);
        Assert.Equal(HttpStatusCode.Accepted, (await Handoffs.FeedbackAsync(_client, handoffId, "accepted")).Status);

        var (code, problem) = await Handoffs.FeedbackAsync(_client, handoffId, "accepted");

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("urn:leadhandoff:problem:stage-conflict", problem.GetProperty("type").GetString());
        Assert.Equal("sal", problem.GetProperty("currentStage").GetString());
        Assert.Contains("sal", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal("accepted", (await _client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("status").GetString());
        Assert.Equal("sal", (await _client.GetJsonAsync($"/v1/leads/{leadId}")).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task Feedback_WonOnARejectedHandoff_Is409NamingDisqualified()
    {
        var (handoffId, leadId) = await Handoffs.CreateAsync(_client);
        Assert.Equal(HttpStatusCode.Accepted, (await Handoffs.FeedbackAsync(_client, handoffId, "rejected", "no budget")).Status);

        var (code, problem) = await Handoffs.FeedbackAsync(_client, handoffId, "won");

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("disqualified", problem.GetProperty("currentStage").GetString());
        Assert.Equal("rejected", (await _client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("status").GetString());
        Assert.Equal("disqualified", (await _client.GetJsonAsync($"/v1/leads/{leadId}")).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task Feedback_SameFeedbackIdTwice_IsAppliedOnce()
    {
        var (handoffId, _) = await Handoffs.CreateAsync(_client);
        var id = Guid.NewGuid();

        var first = await Handoffs.FeedbackAsync(_client, handoffId, "accepted", feedbackId: id);
        var second = await Handoffs.FeedbackAsync(_client, handoffId, "accepted", feedbackId: id);

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.False(first.Body.GetProperty("duplicate").GetBoolean());
        Assert.Equal(HttpStatusCode.Accepted, second.Status);
        Assert.True(second.Body.GetProperty("duplicate").GetBoolean());
        Assert.Equal("accepted", second.Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Feedback_RecycledWithReason_SendsTheLeadBackToNurtureInItsNextCycle()
    {
        var (handoffId, leadId) = await Handoffs.CreateAsync(_client);

        var (code, body) = await Handoffs.FeedbackAsync(_client, handoffId, "recycled", "not ready to buy");

        Assert.Equal(HttpStatusCode.Accepted, code);
        Assert.Equal("recycled", body.GetProperty("status").GetString());
        var lead = await _client.GetJsonAsync($"/v1/leads/{leadId}");
        Assert.Equal("nurture", lead.GetProperty("stage").GetString());
        Assert.Equal(1, lead.GetProperty("cycle").GetInt32());
    }

    [Theory]
    [InlineData("{\"type\":\"maybe\"}", "type")]
    [InlineData("{}", "type")]
    [InlineData("{\"type\":\"rejected\"}", "reason")]
    [InlineData("{\"type\":\"lost\",\"reason\":\"\"}", "reason")]
    [InlineData("{\"type\":\"accepted\",\"at\":\"2099-01-01T00:00:00Z\"}", "at")]
    public async Task Feedback_InvalidBody_Is400NamingTheField(string json, string field)
    {
        var (handoffId, _) = await Handoffs.CreateAsync(_client);

        using var response = await _client.Http.PostAsync($"/v1/handoffs/{handoffId}/feedback", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = Events.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for '{field}'");
        var status = (await _client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("status").GetString();
        Assert.True(status is "pending" or "published", $"status {status} changed");
    }

    [Fact]
    public async Task Feedback_StampedBeforeTheHandoffExisted_Is400NamingAt()
    {
        var (handoffId, _) = await Handoffs.CreateAsync(_client);

        var (code, problem) = await Handoffs.FeedbackAsync(_client, handoffId, "accepted", at: TimeProvider.System.GetUtcNow().AddDays(-1));

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.True(problem.GetProperty("errors").TryGetProperty("at", out _), problem.ToString());
    }

    [Fact]
    public async Task Feedback_UnknownHandoff_Is404()
    {
        var (code, problem) = await Handoffs.FeedbackAsync(_client, Guid.NewGuid().ToString(), "accepted");

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("urn:leadhandoff:problem:not-found", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task SalesFeedbackReceived_FromACrmAdapter_IsAppliedLikeTheEndpoint()
    {
        var (handoffId, leadId) = await Handoffs.CreateAsync(_client);
        var bus = fixture.Host.Services.GetRequiredService<IBus>();

        await bus.Publish(new SalesFeedbackReceived(Guid.NewGuid(), Guid.Parse(handoffId), "contacted", TimeProvider.System.GetUtcNow(), null, "crm"));

        var lead = await Eventually.UntilAsync(
            () => _client.GetJsonAsync($"/v1/leads/{leadId}"),
            l => l.GetProperty("stage").GetString() == "sal",
            TimeSpan.FromSeconds(20),
            "the bus feedback to move the lead to SAL");
        Assert.Equal("sal", lead.GetProperty("stage").GetString());
        Assert.Equal("contacted", (await _client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Feedback_ContradictoryPairAtOnce_OneIsAppliedAndTheOtherRefused()
    {
        var (handoffId, _) = await Handoffs.CreateAsync(_client);

        var results = await Task.WhenAll(
            Handoffs.FeedbackAsync(_client, handoffId, "accepted"),
            Handoffs.FeedbackAsync(_client, handoffId, "rejected", "no budget"));

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Conflict], results.Select(r => r.Status).Order());
        var winner = results.Single(r => r.Status == HttpStatusCode.Accepted).Body.GetProperty("status").GetString();
        Assert.Equal(winner, (await _client.GetJsonAsync($"/v1/handoffs/{handoffId}")).GetProperty("status").GetString());
    }
}
