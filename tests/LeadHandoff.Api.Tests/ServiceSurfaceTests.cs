using System.Net;
using System.Text.Json;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests;

public sealed class ServiceSurfaceTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private readonly WebhookClient _client = fixture.Client;

    [Fact]
    public async Task Health_OnEmbeddedDefaults_IsLiveAndReadyWithDatabaseAndBroker()
    {
        using var live = await _client.Http.GetAsync("/health/live");
        var ready = await _client.GetJsonAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        Assert.True(ready.GetProperty("checks").TryGetProperty("database", out _));
        Assert.True(ready.GetProperty("checks").TryGetProperty("masstransit-bus", out _));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheWebhookAndReadEndpoints()
    {
        var document = await _client.GetJsonAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/v1/webhooks/{source}", out var webhook));
        Assert.True(webhook.GetProperty("post").GetProperty("responses").TryGetProperty("202", out _));
        Assert.True(paths.TryGetProperty("/v1/handoffs/{handoffId}", out _));
        Assert.True(paths.TryGetProperty("/v1/leads/{leadId}", out _));
    }

    [Fact]
    public async Task SwaggerUi_IsServed()
    {
        using var response = await _client.Http.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Policy_InForce_IsTheShippedDefault()
    {
        var policy = await _client.GetJsonAsync("/v1/policy");

        Assert.Equal("default-2026.11", policy.GetProperty("version").GetString());
        Assert.Equal(50, policy.GetProperty("mql").GetProperty("minScore").GetInt32());
        Assert.Contains(policy.GetProperty("blacklist").EnumerateArray(), e => e.GetProperty("id").GetString() == "free-mail");
        Assert.Equal(4, policy.GetProperty("sla").GetProperty("acceptWithinHours").GetDouble());
    }

    [Fact]
    public async Task Policy_SlaSection_ShowsCalendarDeadlinesAttemptsGoalsAndLadder()
    {
        var sla = (await _client.GetJsonAsync("/v1/policy")).GetProperty("sla");
        var calendar = sla.GetProperty("calendar");

        Assert.Equal("UTC", calendar.GetProperty("timeZone").GetString());
        Assert.Equal(["monday", "tuesday", "wednesday", "thursday", "friday"], calendar.GetProperty("workingDays").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(("09:00", "17:00"), (calendar.GetProperty("opens").GetString(), calendar.GetProperty("closes").GetString()));
        Assert.Equal(["2026-12-25", "2027-01-01"], calendar.GetProperty("holidays").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal((4d, 8d), (sla.GetProperty("acceptWithinHours").GetDouble(), sla.GetProperty("firstContactWithinHours").GetDouble()));
        Assert.Equal((2, 6), (sla.GetProperty("attemptsPerDay").GetInt32(), sla.GetProperty("maxAttempts").GetInt32()));
        Assert.Equal(24d, sla.GetProperty("attemptWindowHours").GetDouble());
        Assert.Equal("recycle", sla.GetProperty("giveUp").GetString());
        Assert.Equal(
            [("reminder", 0.5m), ("escalation", 0.9m)],
            sla.GetProperty("atRisk").EnumerateArray().Select(s => (s.GetProperty("level").GetString(), s.GetProperty("at").GetDecimal())));
        Assert.Equal(100, sla.GetProperty("monthlyMqlGoal").GetInt32());
        Assert.Equal(0.9m, sla.GetProperty("followUpTarget").GetDecimal());
        Assert.Equal(3, sla.GetProperty("reviewAfterMonths").GetInt32());
    }

    [Theory]
    [InlineData("/v1/handoffs?status=unknown", "status")]
    [InlineData("/v1/handoffs?cursor=abc", "cursor")]
    [InlineData("/v1/handoffs?limit=0", "limit")]
    [InlineData("/v1/leads", "email")]
    public async Task ReadEndpoints_WithInvalidQuery_AnswerProblemDetailsPerField(string path, string field)
    {
        using var response = await _client.Http.GetAsync(path);

        var problem = await WebhookRejectionTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("/v1/leads/00000000-0000-0000-0000-000000000001")]
    [InlineData("/v1/handoffs/00000000-0000-0000-0000-000000000001")]
    [InlineData("/v1/leads/00000000-0000-0000-0000-000000000001/timeline")]
    public async Task UnknownResources_AreNotFound(string path)
    {
        using var response = await _client.Http.GetAsync(path);
        await WebhookRejectionTests.AssertProblemAsync(response, HttpStatusCode.NotFound, "urn:leadhandoff:problem:not-found");
    }

    [Fact]
    public async Task Handoffs_ListedWithCursor_ArePagedWithoutGapsOrRepeats()
    {
        for (var i = 0; i < 3; i++)
        {
            using var _ = await _client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _client.GetJsonAsync("/v1/handoffs?limit=2" + (cursor is null ? string.Empty : "&cursor=" + cursor));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        var all = (await _client.GetJsonAsync("/v1/handoffs?limit=500")).GetProperty("items").GetArrayLength();
        Assert.Equal(all, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(seen.Count >= 3);
    }
}
