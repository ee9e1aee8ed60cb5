using System.Net;
using LeadHandoff.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadHandoff.Api.Tests;

public sealed class SlaReportTests
{
    [Fact]
    public async Task Reports_ScriptedMonthOnSqlite_YieldTheExpectedNumbers()
    {
        var clock = new FakeTimeProvider(SlaMonth.Start);
        await using var host = new ApiHost(
            new Dictionary<string, string?> { ["LeadHandoff:Sla:Interval"] = "00:00:00.001" },
            services => services.AddSingleton<TimeProvider>(clock));
        using var client = host.Webhooks();
        var month = new SlaMonth(clock, client);

        await month.RunAsync();

        await month.AssertReportsAsync();
    }

    [Theory]
    [InlineData("?bucket=day", "bucket")]
    [InlineData("?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", "from")]
    [InlineData("?from=2000-01-01T00:00:00Z&to=2026-11-01T00:00:00Z&bucket=week", "from")]
    public async Task SlaReport_InvalidQuery_Is400NamingTheParameter(string query, string field)
    {
        await using var host = new ApiHost();
        using var client = host.Webhooks();

        using var response = await client.Http.GetAsync("/v1/reports/sla" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = Events.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
