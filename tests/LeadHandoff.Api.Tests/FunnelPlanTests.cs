using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests;

public sealed class FunnelPlanTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private readonly WebhookClient _client = fixture.Client;

    [Fact]
    public async Task Plan_PlaybookExample_AnswersEveryStage()
    {
        var plan = await PlanAsync("""{ "targetSales": 35, "conversionRates": { "leadToMql": 0.30, "mqlToSal": 0.48, "salToOpportunity": 0.68, "opportunityToSale": 0.20 } }""");

        Assert.Equal(1783, plan.GetProperty("leads").GetInt32());
        Assert.Equal(535, plan.GetProperty("mqls").GetInt32());
        Assert.Equal(257, plan.GetProperty("sals").GetInt32());
        Assert.Equal(175, plan.GetProperty("opportunities").GetInt32());
        Assert.Equal(35, plan.GetProperty("sales").GetInt32());
    }

    [Fact]
    public async Task Plan_FromRevenue_AnswersSalesAndQualifiedLeads()
    {
        var plan = await PlanAsync("""{ "revenueTarget": 5000, "dealValue": 100, "winRate": 0.5 }""");

        Assert.Equal(50, plan.GetProperty("sales").GetInt32());
        Assert.Equal(100, plan.GetProperty("qualifiedLeads").GetInt32());
        Assert.Equal("revenueTarget", plan.GetProperty("basis").GetString());
    }

    [Theory]
    [InlineData("""{ "targetSales": 35, "conversionRates": { "leadToMql": 1.5, "mqlToSal": 0.48, "salToOpportunity": 0, "opportunityToSale": 0.2 } }""", "conversionRates.leadToMql")]
    [InlineData("""{ "targetSales": -1, "conversionRates": { "leadToMql": 0.3, "mqlToSal": 0.48, "salToOpportunity": 0.68, "opportunityToSale": 0.2 } }""", "targetSales")]
    [InlineData("""{ "targetSales": 35 }""", "conversionRates")]
    [InlineData("""{ "revenueTarget": 5000, "winRate": 0.5 }""", "dealValue")]
    [InlineData("""{ }""", "targetSales")]
    public async Task Plan_InvalidInput_IsBadRequestNamingTheField(string body, string field)
    {
        using var response = await _client.Http.PostAsync("/v1/plan/funnel", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await WebhookRejectionTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Plan_MalformedJson_IsBadRequestProblem()
    {
        using var response = await _client.Http.PostAsync("/v1/plan/funnel", new StringContent("{ \"targetSales\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<JsonElement> PlanAsync(string body)
    {
        using var response = await _client.Http.PostAsync("/v1/plan/funnel", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
