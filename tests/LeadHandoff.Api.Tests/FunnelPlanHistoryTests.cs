using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests;

public sealed class FunnelPlanHistoryTests
{
    [Fact]
    public async Task Plan_BasedOnHistory_UsesMeasuredRatesAndStatesFeasibility()
    {
        await using var host = new ApiHost();
        using var client = host.Webhooks();
        var (won, _) = await Handoffs.CreateAsync(client);
        var (accepted, _) = await Handoffs.CreateAsync(client);
        for (var i = 0; i < 2; i++)
        {
            using var notYet = await client.PostAsync(Events.Qualifying(Events.UniqueEmail(), score: 10).Json());
            Assert.Equal(HttpStatusCode.Accepted, notYet.StatusCode);
        }

        foreach (var type in new[] { "accepted", "opportunity", "won" })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await Handoffs.FeedbackAsync(client, won, type)).Status);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await Handoffs.FeedbackAsync(client, accepted, "accepted")).Status);
        var now = TimeProvider.System.GetUtcNow();
        var period = new { from = now.AddHours(-1), to = now.AddHours(1) };

        using var response = await client.Http.PostAsJsonAsync("/v1/plan/funnel", new { targetSales = 10, basedOn = period });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = await response.Content.ReadFromJsonAsync<JsonElement>();
        // 4 leads → 2 MQLs → 2 SALs → 1 opportunity → 1 sale: rates 0.5, 1, 0.5, 1.
        Assert.Equal(0.5m, plan.GetProperty("conversionRates").GetProperty("leadToMql").GetDecimal());
        Assert.Equal(0.5m, plan.GetProperty("conversionRates").GetProperty("salToOpportunity").GetDecimal());
        Assert.Equal((40, 20, 20, 10), (plan.GetProperty("leads").GetInt32(), plan.GetProperty("mqls").GetInt32(), plan.GetProperty("sals").GetInt32(), plan.GetProperty("opportunities").GetInt32()));
        var feasibility = plan.GetProperty("feasibility");
        Assert.Equal(4, feasibility.GetProperty("actualLeads").GetInt32());
        Assert.Equal(10m, feasibility.GetProperty("leadsMultiple").GetDecimal());
        Assert.Equal(10m, feasibility.GetProperty("mqlsMultiple").GetDecimal());
    }

    [Theory]
    [InlineData("""{ "targetSales": 10, "basedOn": { "from": "2020-01-01T00:00:00Z", "to": "2020-02-01T00:00:00Z" } }""", "basedOn")]
    [InlineData("""{ "targetSales": 10, "basedOn": { "from": "2020-01-01T00:00:00Z" } }""", "basedOn.to")]
    [InlineData("""{ "targetSales": 10, "basedOn": { "from": "2020-02-01T00:00:00Z", "to": "2020-01-01T00:00:00Z" } }""", "basedOn.to")]
    [InlineData("""{ "targetSales": 10, "basedOn": { "to": "2020-02-01T00:00:00Z" }, "conversionRates": { "leadToMql": 0.3, "mqlToSal": 0.48, "salToOpportunity": 0.68, "opportunityToSale": 0.2 } }""", "basedOn.from")]
    public async Task Plan_BasedOnInvalidOrEmptyHistory_Is400NamingTheField(string body, string field)
    {
        await using var host = new ApiHost();
        using var client = host.Webhooks();

        using var response = await client.Http.PostAsync("/v1/plan/funnel", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await WebhookRejectionTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
