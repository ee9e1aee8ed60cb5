using System.Net;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests;

public sealed class PolicyReloadTests : IAsyncLifetime
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
    public async Task EditedPolicy_Valid_IsInForceWithoutRestartAndStampedOnNewDecisions()
    {
        await using var host = new ApiHost(Settings());
        using var client = host.Webhooks();
        var before = Events.UniqueEmail();
        using (var response = await client.PostAsync(Events.Qualifying(before, score: 40).Json()))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await WritePolicyAsync("v2", minScore: 30);
        await Eventually.UntilAsync(() => client.GetJsonAsync("/v1/policy"), p => p.GetProperty("version").GetString() == "v2", Deadline, "policy v2 to be in force");
        var after = Events.UniqueEmail();
        using (var response = await client.PostAsync(Events.Qualifying(after, score: 40).Json()))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var old = await client.GetJsonAsync($"/v1/leads?email={before}");
        Assert.Equal("notyet", old.GetProperty("lastDecision").GetProperty("outcome").GetString());
        Assert.Equal("v1", old.GetProperty("lastDecision").GetProperty("policyVersion").GetString());
        var @new = await client.GetJsonAsync($"/v1/leads?email={after}");
        Assert.Equal("qualified", @new.GetProperty("lastDecision").GetProperty("outcome").GetString());
        Assert.Equal("v2", @new.GetProperty("lastDecision").GetProperty("policyVersion").GetString());
    }

    [Fact]
    public async Task EditedPolicy_Invalid_KeepsThePreviousInForceAndSaysWhyInReadiness()
    {
        await using var host = new ApiHost(Settings());
        using var client = host.Webhooks();

        await FileEdits.ReplaceAsync(_path, "version: v3\nmql:\n  fit:\n    - id: x\n      field: nope\n      op: exists\n");
        var readiness = await Eventually.UntilAsync(
            () => ReadinessAsync(client),
            r => PolicyCheck(r).GetProperty("status").GetString() == "Degraded",
            Deadline,
            "readiness to report the refused edit");

        Assert.Equal(HttpStatusCode.OK, readiness.Status);
        Assert.Equal("Degraded", readiness.Body.GetProperty("status").GetString());
        Assert.Contains("field 'nope'", PolicyCheck(readiness).GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("v1", (await client.GetJsonAsync("/v1/policy")).GetProperty("version").GetString());

        await WritePolicyAsync("v4", minScore: 50);
        await Eventually.UntilAsync(
            () => ReadinessAsync(client), r => PolicyCheck(r).GetProperty("status").GetString() == "Healthy", Deadline, "readiness to recover");
        Assert.Equal("v4", (await client.GetJsonAsync("/v1/policy")).GetProperty("version").GetString());
    }

    /// Readiness as it is, whatever its status code: other checks (the bus starting) may still be settling.
    private static async Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body)> ReadinessAsync(WebhookClient client)
    {
        using var response = await client.Http.GetAsync("/health/ready");
        return (response.StatusCode, Events.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static System.Text.Json.JsonElement PolicyCheck((HttpStatusCode Status, System.Text.Json.JsonElement Body) readiness) =>
        readiness.Body.GetProperty("checks").GetProperty("policy");

    private Dictionary<string, string?> Settings() => new()
    {
        ["LeadHandoff:Policy:Path"] = _path,
        ["LeadHandoff:Policy:ReloadInterval"] = "00:00:00.100",
    };

    private Task WritePolicyAsync(string version, int minScore) => FileEdits.ReplaceAsync(_path, $"""
        version: "{version}"
        mql:
          minScore: {minScore}
          fit:
            - id: has-company
              field: company
              op: exists
        blacklist:
          - id: free-mail
            category: freeMail
            match: emailDomain
            reason: Personal email address
            values: [gmail.com]
        """);
}
