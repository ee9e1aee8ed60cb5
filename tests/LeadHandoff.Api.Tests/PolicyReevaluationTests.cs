using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests;

public sealed class PolicyReevaluationTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.yaml");

    public Task InitializeAsync() => WritePolicyAsync("v1", minScore: 50);

    public Task DisposeAsync()
    {
        File.Delete(_path);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task PolicyChange_OldLeads_StayUntilAnExplicitPagedReevaluationWhichDryRunsFirst()
    {
        await using var host = new ApiHost(new Dictionary<string, string?>
        {
            ["LeadHandoff:Policy:Path"] = _path,
            ["LeadHandoff:Policy:ReloadInterval"] = "00:00:00.100",
        });
        using var client = host.Webhooks();
        var emails = Enumerable.Range(0, 3).Select(_ => Events.UniqueEmail()).ToList();
        foreach (var email in emails)
        {
            using var response = await client.PostAsync(Events.Qualifying(email, score: 40).Json());
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await WritePolicyAsync("v2", minScore: 30);
        await Eventually.UntilAsync(() => client.GetJsonAsync("/v1/policy"), p => p.GetProperty("version").GetString() == "v2", Deadline, "policy v2 to be in force");
        Assert.Equal("lead", (await client.GetJsonAsync($"/v1/leads?email={emails[0]}")).GetProperty("stage").GetString());

        var now = TimeProvider.System.GetUtcNow();
        var range = new { from = now.AddHours(-2), to = now.AddHours(1) };
        var first = await ReevaluateAsync(client, new { range.from, range.to, limit = 2 });
        var second = await ReevaluateAsync(client, new { range.from, range.to, limit = 2, cursor = first.GetProperty("nextCursor").GetString() });

        Assert.True(first.GetProperty("dryRun").GetBoolean());
        Assert.Equal(2, first.GetProperty("scanned").GetInt32());
        Assert.Equal(2, first.GetProperty("transitions").GetProperty("lead→mql").GetInt32());
        Assert.Equal(1, second.GetProperty("scanned").GetInt32());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        var changed = first.GetProperty("changes").EnumerateArray().Concat(second.GetProperty("changes").EnumerateArray()).ToList();
        Assert.Equal(3, changed.Select(c => c.GetProperty("leadId").GetString()).Distinct().Count());
        Assert.All(changed, c => Assert.Contains("min-score", c.GetProperty("decidingRules").EnumerateArray().Select(r => r.GetString())));
        Assert.Equal("lead", (await client.GetJsonAsync($"/v1/leads?email={emails[0]}")).GetProperty("stage").GetString());

        var applied = await ReevaluateAsync(client, new { range.from, range.to, dryRun = false, limit = 2 });
        var rest = await ReevaluateAsync(client, new { range.from, range.to, dryRun = false, limit = 2, cursor = applied.GetProperty("nextCursor").GetString() });

        Assert.Equal(3, applied.GetProperty("changed").GetInt32() + rest.GetProperty("changed").GetInt32());
        foreach (var email in emails)
        {
            var lead = await client.GetJsonAsync($"/v1/leads?email={email}");
            Assert.Equal("mql", lead.GetProperty("stage").GetString());
            Assert.Equal("v2", lead.GetProperty("lastDecision").GetProperty("policyVersion").GetString());
        }

        var handoffs = await client.GetJsonAsync("/v1/handoffs?limit=50");
        Assert.Equal(3, handoffs.GetProperty("items").GetArrayLength());
        var again = await ReevaluateAsync(client, new { range.from, range.to, dryRun = false });
        Assert.Equal(0, again.GetProperty("scanned").GetInt32());
    }

    [Theory]
    [InlineData("""{ "to": "2026-11-20T00:00:00Z" }""", "from")]
    [InlineData("""{ "from": "2026-11-20T00:00:00Z", "to": "2026-11-19T00:00:00Z" }""", "to")]
    [InlineData("""{ "from": "2026-11-19T00:00:00Z", "to": "2026-11-20T00:00:00Z", "limit": 0 }""", "limit")]
    [InlineData("""{ "from": "2026-11-19T00:00:00Z", "to": "2026-11-20T00:00:00Z", "cursor": "x" }""", "cursor")]
    public async Task Reevaluate_InvalidRequest_IsRefusedNamingTheField(string body, string field)
    {
        await using var host = new ApiHost();
        using var client = host.Webhooks();

        using var response = await client.Http.PostAsync("/v1/policy/reevaluate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await WebhookRejectionTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    private static async Task<JsonElement> ReevaluateAsync(WebhookClient client, object request)
    {
        using var response = await client.Http.PostAsJsonAsync("/v1/policy/reevaluate", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private Task WritePolicyAsync(string version, int minScore) => File.WriteAllTextAsync(_path, $"""
        version: "{version}"
        mql:
          minScore: {minScore}
          fit:
            - id: has-company
              field: company
              op: exists
        """);
}

public sealed class PolicyDataFileReloadTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("policy-data-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task EditedDataFile_PolicyFileUnchanged_IsInForceWithoutRestart()
    {
        var list = Path.Combine(_directory.FullName, "competitors.txt");
        await File.WriteAllTextAsync(list, "other.example\n");
        var policy = Path.Combine(_directory.FullName, "policy.yaml");
        await File.WriteAllTextAsync(policy, """
            version: v1
            blacklist:
              - id: competitors
                match: emailDomain
                reason: Competitor
                valuesFile: competitors.txt
            """);
        await using var host = new ApiHost(new Dictionary<string, string?>
        {
            ["LeadHandoff:Policy:Path"] = policy,
            ["LeadHandoff:Policy:ReloadInterval"] = "00:00:00.100",
        });
        using var client = host.Webhooks();
        var request = new { lead = new { email = "spy@rival.example", company = "Rival" } };
        Assert.Equal("qualified", await OutcomeAsync(client, request));

        await File.WriteAllTextAsync(list, "other.example\nrival.example\n");

        await Eventually.UntilAsync(() => OutcomeAsync(client, request), o => o == "disqualified", TimeSpan.FromSeconds(20), "the edited list to be in force");
    }

    private static async Task<string?> OutcomeAsync(WebhookClient client, object request)
    {
        using var response = await client.Http.PostAsJsonAsync("/v1/policy/simulate", request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString();
    }
}
