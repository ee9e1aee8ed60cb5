using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests;

public sealed class ApiHostFixture : IAsyncLifetime
{
    public ApiHost Host { get; private set; } = null!;

    public WebhookClient Client { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Host = new ApiHost();
        Client = Host.Webhooks();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}

public sealed class WebhookIngestionTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private readonly WebhookClient _client = fixture.Client;

    [Fact]
    public async Task QualifyingEvent_SignedAndNew_IsAcceptedAndProducesOnePublishedHandoff()
    {
        var email = Events.UniqueEmail();
        using var response = await _client.PostAsync(Events.Qualifying(email, "evt-q1-" + email).Json());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(0, body.GetProperty("duplicates").GetInt32());
        Assert.Equal("evt-q1-" + email, body.GetProperty("eventIds")[0].GetString());

        var lead = await _client.GetJsonAsync($"/v1/leads?email={Uri.EscapeDataString(email.ToUpperInvariant())}");
        Assert.Equal("mql", lead.GetProperty("stage").GetString());
        Assert.Equal("qualified", lead.GetProperty("lastDecision").GetProperty("outcome").GetString());
        Assert.Equal("default-2026.11", lead.GetProperty("lastDecision").GetProperty("policyVersion").GetString());
        Assert.Equal("hs-" + email, lead.GetProperty("externalIds").GetProperty("hubspot").GetString());

        var leadId = lead.GetProperty("id").GetString();
        var handoff = await Eventually.UntilAsync(
            async () => (await _client.GetJsonAsync("/v1/handoffs?limit=500")).GetProperty("items").EnumerateArray()
                .Where(h => h.GetProperty("leadId").GetString() == leadId).ToList(),
            items => items.Count == 1 && items[0].GetProperty("status").GetString() == "published",
            TimeSpan.FromSeconds(20),
            "the handoff to be published");

        var detail = await _client.GetJsonAsync($"/v1/handoffs/{handoff[0].GetProperty("id").GetString()}");
        var message = detail.GetProperty("message");
        Assert.Equal(email, message.GetProperty("lead").GetProperty("email").GetString());
        Assert.Equal(1, message.GetProperty("interactions").GetProperty("countsByType").GetProperty("formSubmitted").GetInt32());
        var interests = message.GetProperty("interactions").GetProperty("topInterests").EnumerateArray()
            .Select(i => i.GetProperty("topic").GetString()!).ToList();
        Assert.Equal(["integrations", "pricing"], interests);
        Assert.Contains(message.GetProperty("decision").GetProperty("rulesMatched").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "min-score");
        var createdAt = detail.GetProperty("createdAt").GetDateTimeOffset();
        // Four business hours on the default calendar: at least four hours later, more across a night or weekend.
        var acceptBy = message.GetProperty("sla").GetProperty("acceptBy").GetDateTimeOffset();
        Assert.True(acceptBy >= createdAt.AddHours(4), $"acceptBy {acceptBy:O} is less than 4 hours after {createdAt:O}");
        Assert.True(message.GetProperty("sla").GetProperty("firstContactBy").GetDateTimeOffset() > acceptBy);
    }

    [Fact]
    public async Task SameEvent_DeliveredTwice_IsStoredOnceAndCountedAsDuplicate()
    {
        var email = Events.UniqueEmail();
        var body = Events.Qualifying(email).Json();

        using var first = await _client.PostAsync(body);
        using var second = await _client.PostAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var answer = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(1, answer.GetProperty("duplicates").GetInt32());
        var lead = await _client.GetJsonAsync($"/v1/leads?email={email}");
        Assert.Equal(1, lead.GetProperty("interactions").GetProperty("total").GetInt32());
        await AssertHandoffCountAsync(lead.GetProperty("id").GetString()!, 1);
    }

    [Fact]
    public async Task SameEvent_DeliveredConcurrently_IsStoredOnce()
    {
        var email = Events.UniqueEmail();
        var body = Events.Qualifying(email).Json();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _client.PostAsync(body)));
        var answers = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(1, answers.Sum(a => a.GetProperty("accepted").GetInt32()));
        Assert.Equal(19, answers.Sum(a => a.GetProperty("duplicates").GetInt32()));
        var lead = await _client.GetJsonAsync($"/v1/leads?email={email}");
        Assert.Equal(1, lead.GetProperty("interactions").GetProperty("total").GetInt32());
        await AssertHandoffCountAsync(lead.GetProperty("id").GetString()!, 1);
    }

    [Fact]
    public async Task EventWithoutEventId_RedeliveredWithSameWebhookId_IsADuplicate()
    {
        var email = Events.UniqueEmail();
        var node = Events.Qualifying(email);
        node.Remove("eventId");

        using var first = await _client.PostAsync(node.Json(), webhookId: "msg-retry-" + email);
        using var retry = await _client.PostAsync(node.Json(), webhookId: "msg-retry-" + email);

        Assert.Equal(1, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        Assert.Equal(1, (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task LaterEvents_ForAQualifiedLead_EnrichHistoryWithoutASecondHandoff()
    {
        var email = Events.UniqueEmail();
        using var first = await _client.PostAsync(Events.Qualifying(email).Json());
        var update = Events.Qualifying(email, type: "contentDownloaded");
        update["occurredAt"] = TimeProvider.System.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var lead = update["lead"]!.AsObject();
        lead.Remove("company");
        lead.Remove("phone");
        lead["jobTitle"] = "CMO";
        lead["customFields"] = new System.Text.Json.Nodes.JsonObject { ["region"] = "EMEA" };

        using var second = await _client.PostAsync(update.Json());

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var view = await _client.GetJsonAsync($"/v1/leads?email={email}");
        Assert.Equal("CMO", view.GetProperty("profile").GetProperty("jobTitle").GetString());
        Assert.Equal("Acme", view.GetProperty("profile").GetProperty("company").GetString());
        Assert.Equal("+1 555 0100", view.GetProperty("profile").GetProperty("phone").GetString());
        var custom = view.GetProperty("profile").GetProperty("customFields");
        Assert.Equal("50k", custom.GetProperty("budget").GetString());
        Assert.Equal("EMEA", custom.GetProperty("region").GetString());
        Assert.Equal(2, view.GetProperty("interactions").GetProperty("total").GetInt32());
        await AssertHandoffCountAsync(view.GetProperty("id").GetString()!, 1);

        var timeline = await _client.GetJsonAsync($"/v1/leads/{view.GetProperty("id").GetString()}/timeline?limit=1");
        Assert.Equal("contentDownloaded", timeline.GetProperty("items")[0].GetProperty("type").GetString());
        Assert.NotEqual(JsonValueKind.Null, timeline.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task LeadKnownByExternalIdOnly_LaterEventWithEmail_JoinsTheSameLead()
    {
        var email = Events.UniqueEmail();
        var anonymous = Events.Qualifying(email, score: 10);
        anonymous["lead"]!.AsObject().Remove("email");
        using var first = await _client.PostAsync(anonymous.Json());
        using var second = await _client.PostAsync(Events.Qualifying(email, score: 10).Json());

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var lead = await _client.GetJsonAsync($"/v1/leads?email={email}");
        Assert.Equal(2, lead.GetProperty("interactions").GetProperty("total").GetInt32());
        Assert.Equal("notyet", lead.GetProperty("lastDecision").GetProperty("outcome").GetString());
        Assert.Contains(
            lead.GetProperty("lastDecision").GetProperty("rules").EnumerateArray(),
            r => r.GetProperty("ruleId").GetString() == "min-score" && !r.GetProperty("matched").GetBoolean());
    }

    [Fact]
    public async Task SecondIdFromTheSameSystem_ForOneLead_IsNotAttachedAndNothingBreaks()
    {
        var email = Events.UniqueEmail();
        using var first = await _client.PostAsync(Events.Qualifying(email, score: 10).Json());
        var other = Events.Qualifying(email);
        other["lead"]!["externalIds"]!["hubspot"] = "another-record";

        using var second = await _client.PostAsync(other.Json());

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var lead = await _client.GetJsonAsync($"/v1/leads?email={email}");
        Assert.Equal("hs-" + email, lead.GetProperty("externalIds").GetProperty("hubspot").GetString());
        Assert.Equal("mql", lead.GetProperty("stage").GetString());
        await AssertHandoffCountAsync(lead.GetProperty("id").GetString()!, 1);
    }

    [Fact]
    public async Task LeadMatchedByExternalId_WithAnotherEmail_KeepsItsKnownEmail()
    {
        var email = Events.UniqueEmail();
        using var first = await _client.PostAsync(Events.Qualifying(email, score: 10).Json());
        var otherEmail = Events.UniqueEmail();
        var sameRecordOtherEmail = Events.Qualifying(otherEmail, score: 10);
        sameRecordOtherEmail["lead"]!["externalIds"]!["hubspot"] = "hs-" + email;

        using var second = await _client.PostAsync(sameRecordOtherEmail.Json());

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var lead = await _client.GetJsonAsync($"/v1/leads?email={email}");
        Assert.Equal(2, lead.GetProperty("interactions").GetProperty("total").GetInt32());
        using var other = await _client.Http.GetAsync($"/v1/leads?email={otherEmail}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Theory]
    [InlineData("gmail.com", "free-mail")]
    [InlineData("example.com", "test-leads")]
    public async Task BlacklistedLead_WithHighScore_IsDisqualifiedWithTheReasonAndNoHandoff(string domain, string ruleId)
    {
        var email = Events.UniqueEmail(domain);
        using var response = await _client.PostAsync(Events.Qualifying(email, score: 99).Json());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var lead = await _client.GetJsonAsync($"/v1/leads?email={email}");
        Assert.Equal("disqualified", lead.GetProperty("stage").GetString());
        var decision = lead.GetProperty("lastDecision");
        Assert.Equal("disqualified", decision.GetProperty("outcome").GetString());
        var rule = Assert.Single(decision.GetProperty("rules").EnumerateArray());
        Assert.Equal(ruleId, rule.GetProperty("ruleId").GetString());
        Assert.Equal(domain, rule.GetProperty("observed").GetString());
        await AssertHandoffCountAsync(lead.GetProperty("id").GetString()!, 0);
    }

    [Fact]
    public async Task Batch_OfSeveralEvents_IsAcceptedAsOneRequest()
    {
        var emails = Enumerable.Range(0, 3).Select(_ => Events.UniqueEmail()).ToArray();
        using var response = await _client.PostAsync(Events.Batch(emails.Select(e => (System.Text.Json.Nodes.JsonNode)Events.Qualifying(e)).ToArray()));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("accepted").GetInt32());
        Assert.Equal(3, body.GetProperty("eventIds").GetArrayLength());
        foreach (var email in emails)
        {
            Assert.Equal("mql", (await _client.GetJsonAsync($"/v1/leads?email={email}")).GetProperty("stage").GetString());
        }
    }

    [Fact]
    public async Task RotatedSecret_SecondConfiguredSecret_IsAccepted()
    {
        using var response = await _client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json(), secret: ApiHost.RotatedSecret);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task SignatureHeader_WithSeveralSignatures_AcceptsWhenAnyMatches()
    {
        var body = Events.Qualifying(Events.UniqueEmail()).Json();
        var at = TimeProvider.System.GetUtcNow();
        var valid = WebhookClient.Sign(ApiHost.Secret, "msg-multi", at.ToUnixTimeSeconds(), body);
        using var response = await _client.PostAsync(body, "msg-multi", timestamp: at, signature: "v1,bm90LWEtc2lnbmF0dXJl " + valid);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task AssertHandoffCountAsync(string leadId, int expected)
    {
        var handoffs = await _client.GetJsonAsync("/v1/handoffs?limit=500");
        Assert.Equal(expected, handoffs.GetProperty("items").EnumerateArray().Count(h => h.GetProperty("leadId").GetString() == leadId));
    }
}
