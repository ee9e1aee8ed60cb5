using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests;

public sealed class PolicySimulationTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private readonly WebhookClient _client = fixture.Client;

    private static readonly JsonObject Fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "policy-leads.json")))!.AsObject();

    public static TheoryData<string> Cases => [.. Fixture["cases"]!.AsArray().Select(c => c!["name"]!.GetValue<string>())];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Simulate_DefaultPolicyOnRealisticLead_GivesTheExpectedDecisionNamingTheDecidingRules(string name)
    {
        var fixture = Fixture["cases"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
        var request = new JsonObject
        {
            ["lead"] = fixture["lead"]!.DeepClone(),
            ["interactions"] = fixture["interactions"]!.DeepClone(),
            ["asOf"] = Fixture["asOf"]!.DeepClone(),
        };

        var result = await SimulateAsync(request, HttpStatusCode.OK);

        var expected = fixture["expected"]!.GetValue<string>();
        Assert.Equal(expected, result.GetProperty("outcome").GetString());
        Assert.Equal("default-2026.11", result.GetProperty("policyVersion").GetString());
        var rules = result.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("ruleId").GetString()!, r => r);
        foreach (var deciding in fixture["deciding"]!.AsArray().Select(d => d!.GetValue<string>()))
        {
            Assert.True(rules.TryGetValue(deciding, out var verdict), $"{name}: rule {deciding} is not in the explanation");
            Assert.Equal(expected != "notyet", verdict.GetProperty("matched").GetBoolean());
        }

        var explanation = result.GetProperty("rules").GetRawText();
        Assert.DoesNotContain(fixture["lead"]!["email"]!.GetValue<string>(), explanation, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(expected == "qualified", result.GetProperty("handOff").GetBoolean());
    }

    [Fact]
    public async Task Simulate_StoredLead_EvaluatesItsHistoryWithoutChangingIt()
    {
        var email = Events.UniqueEmail();
        using (var posted = await _client.PostAsync(Events.Qualifying(email, score: 10).Json()))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        var before = await _client.GetJsonAsync($"/v1/leads?email={email}");
        var leadId = before.GetProperty("id").GetString();

        var result = await SimulateAsync(new JsonObject { ["leadId"] = leadId, ["lead"] = new JsonObject { ["score"] = 90 } }, HttpStatusCode.OK);

        Assert.Equal("qualified", result.GetProperty("outcome").GetString());
        Assert.Equal("mql", result.GetProperty("stage").GetString());
        Assert.Contains("pricing", result.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var after = await _client.GetJsonAsync($"/v1/leads/{leadId}");
        Assert.Equal("lead", after.GetProperty("stage").GetString());
        Assert.Equal(10, after.GetProperty("score").GetInt32());
        Assert.Equal(before.GetProperty("updatedAt").GetString(), after.GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task Simulate_CandidatePolicy_IsUsedInsteadOfTheOneInForce()
    {
        const string candidate = """
            version: candidate-1
            mql:
              minScore: 95
            """;
        var request = new JsonObject
        {
            ["lead"] = new JsonObject { ["email"] = "lee@acme.io", ["company"] = "Acme", ["score"] = 90 },
            ["policy"] = candidate,
        };

        var result = await SimulateAsync(request, HttpStatusCode.OK);

        Assert.Equal("candidate-1", result.GetProperty("policyVersion").GetString());
        Assert.True(result.GetProperty("candidatePolicy").GetBoolean());
        Assert.Equal("notyet", result.GetProperty("outcome").GetString());
        Assert.Equal("default-2026.11", (await _client.GetJsonAsync("/v1/policy")).GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("""{ "lead": { "score": 1 }, "policy": "version: x\nmql:\n  fit:\n    - id: a\n      field: company\n      op: sortOf\n" }""", "policy", "line 4: mql.fit[a]: operator 'sortOf'")]
    [InlineData("""{ "lead": { "score": 1 }, "policy": "version: x\nmqll: {}\n" }""", "policy", "unknown key 'mqll'")]
    [InlineData("""{ "interactions": [] }""", "lead", "leadId")]
    [InlineData("""{ "lead": {}, "interactions": [ { "type": "pageSniffed" } ] }""", "interactions[0].type", "pageSniffed")]
    [InlineData("""{ "lead": {}, "stage": "mql" }""", "stage", "nurture")]
    public async Task Simulate_InvalidRequest_IsRefusedNamingTheField(string body, string field, string message)
    {
        using var response = await _client.Http.PostAsync("/v1/policy/simulate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await WebhookRejectionTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        var errors = problem.GetProperty("errors").GetProperty(field);
        Assert.Contains(errors.EnumerateArray(), e => e.GetString()!.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_UnknownLead_IsNotFound()
    {
        using var response = await _client.Http.PostAsJsonAsync("/v1/policy/simulate", new { leadId = Guid.NewGuid() });
        await WebhookRejectionTests.AssertProblemAsync(response, HttpStatusCode.NotFound, "urn:leadhandoff:problem:not-found");
    }

    [Fact]
    public async Task Policy_InForce_ShowsEveryRuleWithItsConditionScoringAndLists()
    {
        var policy = await _client.GetJsonAsync("/v1/policy");

        var engagement = policy.GetProperty("mql").GetProperty("engagement").EnumerateArray().ToList();
        Assert.Contains(engagement, r => r.GetProperty("id").GetString() == "buying-signal"
            && r.GetProperty("condition").GetString()!.StartsWith("any of (touched demo or pricing", StringComparison.Ordinal));
        Assert.Equal("C", policy.GetProperty("mql").GetProperty("minGrade").GetString());
        Assert.Equal(30, policy.GetProperty("scoring").GetProperty("halfLifeDays").GetDouble());
        Assert.Equal(40, policy.GetProperty("scoring").GetProperty("engagementPoints").GetProperty("meetingBooked").GetDouble());
        var freeMail = policy.GetProperty("blacklist").EnumerateArray().Single(b => b.GetProperty("id").GetString() == "free-mail");
        Assert.Contains(freeMail.GetProperty("values").EnumerateArray(), v => v.GetString() == "gmail.com");
        Assert.Equal("fresh-engagement", policy.GetProperty("requalify")[0].GetProperty("id").GetString());
    }

    private async Task<JsonElement> SimulateAsync(JsonObject request, HttpStatusCode expected)
    {
        using var response = await _client.Http.PostAsync(
            "/v1/policy/simulate", new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
