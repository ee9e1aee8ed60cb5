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
        await using var host = ReloadingHost();
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

    [Fact]
    public async Task BlacklistFix_LeadsThePolicyDisqualified_AreReconsideredButNotOneSalesRejected()
    {
        await FileEdits.ReplaceAsync(_path, Policy("v1", minScore: 50, blacklist: Blacklisting("competitors", "rival.example")));
        await using var host = ReloadingHost();
        using var client = host.Webhooks();
        var blacklisted = Events.UniqueEmail("rival.example");
        using (var response = await client.PostAsync(Events.Qualifying(blacklisted, score: 60).Json()))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var (handoffId, rejectedLeadId) = await Handoffs.CreateAsync(client);
        var (status, _) = await Handoffs.FeedbackAsync(client, handoffId, "rejected", reason: "no budget");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("disqualified", (await client.GetJsonAsync($"/v1/leads?email={blacklisted}")).GetProperty("stage").GetString());
        Assert.Equal("disqualified", (await client.GetJsonAsync($"/v1/leads/{rejectedLeadId}")).GetProperty("stage").GetString());

        // The competitor entry was a mistake: the domain is a customer's.
        await WritePolicyAsync("v2", minScore: 50);
        await Eventually.UntilAsync(() => client.GetJsonAsync("/v1/policy"), p => p.GetProperty("version").GetString() == "v2", Deadline, "policy v2 to be in force");
        Assert.Equal("disqualified", (await client.GetJsonAsync($"/v1/leads?email={blacklisted}")).GetProperty("stage").GetString());

        var now = TimeProvider.System.GetUtcNow();
        var range = new { from = now.AddHours(-2), to = now.AddHours(1) };
        var dry = await ReevaluateAsync(client, new { range.from, range.to });

        Assert.Equal(1, dry.GetProperty("scanned").GetInt32());
        Assert.Equal(1, dry.GetProperty("transitions").GetProperty("disqualified→mql").GetInt32());
        var change = Assert.Single(dry.GetProperty("changes").EnumerateArray());
        Assert.Equal("disqualified", change.GetProperty("outcomeBefore").GetString());
        Assert.Equal("qualified", change.GetProperty("outcome").GetString());

        var applied = await ReevaluateAsync(client, new { range.from, range.to, dryRun = false });

        Assert.Equal(1, applied.GetProperty("changed").GetInt32());
        var lead = await client.GetJsonAsync($"/v1/leads?email={blacklisted}");
        Assert.Equal("mql", lead.GetProperty("stage").GetString());
        Assert.Equal("v2", lead.GetProperty("lastDecision").GetProperty("policyVersion").GetString());
        Assert.Equal("disqualified", (await client.GetJsonAsync($"/v1/leads/{rejectedLeadId}")).GetProperty("stage").GetString());
        var handoffs = (await client.GetJsonAsync("/v1/handoffs?limit=50")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, handoffs.Count);
        Assert.Contains(handoffs, h => h.GetProperty("leadId").GetString() == lead.GetProperty("id").GetString());
        Assert.Equal(0, (await ReevaluateAsync(client, new { range.from, range.to, dryRun = false })).GetProperty("scanned").GetInt32());
    }

    [Fact]
    public async Task MergedAwayRecord_IsNeverReevaluatedOnlyItsSurvivor()
    {
        await using var host = ReloadingHost();
        using var client = host.Webhooks();
        var email = Events.UniqueEmail();
        await PostAcceptedAsync(client, Events.MergingRecords(email, olderScore: 40, newerScore: 40));

        var survivor = await client.GetJsonAsync($"/v1/leads?email={email}");
        Assert.Equal("m-" + email, survivor.GetProperty("externalIds").GetProperty("mautic").GetString());
        Assert.Equal("hs-" + email, survivor.GetProperty("externalIds").GetProperty("hubspot").GetString());

        await WritePolicyAsync("v2", minScore: 30);
        await Eventually.UntilAsync(() => client.GetJsonAsync("/v1/policy"), p => p.GetProperty("version").GetString() == "v2", Deadline, "policy v2 to be in force");
        var now = TimeProvider.System.GetUtcNow();
        var applied = await ReevaluateAsync(client, new { from = now.AddHours(-2), to = now.AddHours(1), dryRun = false });

        Assert.Equal(1, applied.GetProperty("scanned").GetInt32());
        var change = Assert.Single(applied.GetProperty("changes").EnumerateArray());
        Assert.Equal(survivor.GetProperty("id").GetString(), change.GetProperty("leadId").GetString());
        var handoff = Assert.Single((await client.GetJsonAsync("/v1/handoffs?limit=50")).GetProperty("items").EnumerateArray());
        Assert.Equal(survivor.GetProperty("id").GetString(), handoff.GetProperty("leadId").GetString());
    }

    [Fact]
    public async Task LeadSalesRejected_WhoseHandoffIsUnderARecordMergedAway_IsNotPulledBack()
    {
        await using var host = ReloadingHost();
        using var client = host.Webhooks();
        var email = Events.UniqueEmail();
        // The older record survives; the handoff was made for the newer one, then rejected.
        await PostAcceptedAsync(client, Events.MergingRecords(email, olderScore: 10, newerScore: 72));

        var handoff = Assert.Single((await client.GetJsonAsync("/v1/handoffs?limit=50")).GetProperty("items").EnumerateArray());
        var (status, _) = await Handoffs.FeedbackAsync(client, handoff.GetProperty("id").GetString()!, "rejected", reason: "no budget");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var survivor = await client.GetJsonAsync($"/v1/leads?email={email}");
        Assert.NotEqual(handoff.GetProperty("leadId").GetString(), survivor.GetProperty("id").GetString());
        Assert.Equal("disqualified", survivor.GetProperty("stage").GetString());

        await WritePolicyAsync("v2", minScore: 30);
        await Eventually.UntilAsync(() => client.GetJsonAsync("/v1/policy"), p => p.GetProperty("version").GetString() == "v2", Deadline, "policy v2 to be in force");
        var now = TimeProvider.System.GetUtcNow();
        var applied = await ReevaluateAsync(client, new { from = now.AddHours(-2), to = now.AddHours(1), dryRun = false });

        Assert.Equal(0, applied.GetProperty("changed").GetInt32());
        Assert.Single((await client.GetJsonAsync("/v1/handoffs?limit=50")).GetProperty("items").EnumerateArray());
        Assert.Equal("disqualified", (await client.GetJsonAsync($"/v1/leads?email={email}")).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task BlacklistedRecordMergedIntoAnother_IsReconsideredAfterTheFix()
    {
        await FileEdits.ReplaceAsync(_path, Policy("v1", minScore: 50, blacklist: Blacklisting("competitors", "rival.example")));
        await using var host = ReloadingHost();
        using var client = host.Webhooks();
        var email = Events.UniqueEmail("rival.example");
        // The older record (no email, not yet qualified) survives and takes the blacklisted record's stage.
        await PostAcceptedAsync(client, Events.MergingRecords(email, olderScore: 10, newerScore: 60));
        var survivor = await client.GetJsonAsync($"/v1/leads?email={email}");
        Assert.Equal("disqualified", survivor.GetProperty("stage").GetString());
        Assert.Equal("disqualified", survivor.GetProperty("lastDecision").GetProperty("outcome").GetString());

        await WritePolicyAsync("v2", minScore: 5);
        await Eventually.UntilAsync(() => client.GetJsonAsync("/v1/policy"), p => p.GetProperty("version").GetString() == "v2", Deadline, "policy v2 to be in force");
        var now = TimeProvider.System.GetUtcNow();
        var applied = await ReevaluateAsync(client, new { from = now.AddHours(-2), to = now.AddHours(1), dryRun = false });

        var change = Assert.Single(applied.GetProperty("changes").EnumerateArray());
        Assert.Equal(survivor.GetProperty("id").GetString(), change.GetProperty("leadId").GetString());
        Assert.Equal("mql", (await client.GetJsonAsync($"/v1/leads?email={email}")).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task LeadsOfOneInstant_DisqualifiedPageByPage_AreEachEvaluatedOnce()
    {
        await using var host = ReloadingHost();
        using var client = host.Webhooks();
        // One request: its leads are created in one batch, at one instant.
        var emails = Enumerable.Range(0, 3).Select(_ => Events.UniqueEmail("shut-down.example")).ToList();
        using (var response = await client.PostAsync(Events.Batch([.. emails.Select(e => Events.Qualifying(e, score: 40))])))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await FileEdits.ReplaceAsync(_path, Policy("v2", minScore: 50, blacklist: Blacklisting("closed-accounts", "shut-down.example")));
        await Eventually.UntilAsync(() => client.GetJsonAsync("/v1/policy"), p => p.GetProperty("version").GetString() == "v2", Deadline, "policy v2 to be in force");
        var now = TimeProvider.System.GetUtcNow();
        var evaluated = new List<string?>();
        string? cursor = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await ReevaluateAsync(client, new { from = now.AddHours(-2), to = now.AddHours(1), dryRun = false, limit = 1, cursor });
            evaluated.AddRange(page.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("leadId").GetString()));
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is null)
            {
                break;
            }
        }

        Assert.Null(cursor);
        Assert.Equal(3, evaluated.Count);
        Assert.Equal(3, evaluated.Distinct().Count());
        foreach (var email in emails)
        {
            Assert.Equal("disqualified", (await client.GetJsonAsync($"/v1/leads?email={email}")).GetProperty("stage").GetString());
        }

        // They stay in the range as the policy's own verdicts; nothing changes on a second pass.
        var again = await ReevaluateAsync(client, new { from = now.AddHours(-2), to = now.AddHours(1), dryRun = false });
        Assert.Equal(3, again.GetProperty("scanned").GetInt32());
        Assert.Equal(0, again.GetProperty("changed").GetInt32());
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

    private static async Task PostAcceptedAsync(WebhookClient client, IEnumerable<System.Text.Json.Nodes.JsonObject> events)
    {
        foreach (var payload in events)
        {
            using var response = await client.PostAsync(payload.Json());
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    private ApiHost ReloadingHost() => new(new Dictionary<string, string?>
    {
        ["LeadHandoff:Policy:Path"] = _path,
        ["LeadHandoff:Policy:ReloadInterval"] = "00:00:00.100",
    });

    private static async Task<JsonElement> ReevaluateAsync(WebhookClient client, object request)
    {
        using var response = await client.Http.PostAsJsonAsync("/v1/policy/reevaluate", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private Task WritePolicyAsync(string version, int minScore) => FileEdits.ReplaceAsync(_path, Policy(version, minScore));

    private static string Blacklisting(string id, string domain) => $"""
        blacklist:
          - id: {id}
            match: emailDomain
            reason: Listed by the test ({id})
            values: [{domain}]
        """;

    private static string Policy(string version, int minScore, string blacklist = "") => $"""
        version: "{version}"
        mql:
          minScore: {minScore}
          fit:
            - id: has-company
              field: company
              op: exists
        {blacklist}
        """;
}

public sealed class PolicyDataFileReloadTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("policy-data-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task EditedDataFile_PolicyFileUnchanged_IsInForceWithoutRestart()
    {
        var list = Path.Combine(_directory.FullName, "competitors.txt");
        await FileEdits.ReplaceAsync(list, "other.example\n");
        var policy = Path.Combine(_directory.FullName, "policy.yaml");
        await FileEdits.ReplaceAsync(policy, """
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

        await FileEdits.ReplaceAsync(list, "other.example\nrival.example\n");

        await Eventually.UntilAsync(() => OutcomeAsync(client, request), o => o == "disqualified", TimeSpan.FromSeconds(20), "the edited list to be in force");
    }

    private static async Task<string?> OutcomeAsync(WebhookClient client, object request)
    {
        using var response = await client.Http.PostAsJsonAsync("/v1/policy/simulate", request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString();
    }
}
