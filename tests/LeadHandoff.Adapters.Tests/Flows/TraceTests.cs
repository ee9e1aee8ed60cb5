using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using LeadHandoff.Adapters.Tests.LookAlikes;
using LeadHandoff.IntegrationTests.Infrastructure;
using LeadHandoff.Testing;

namespace LeadHandoff.Adapters.Tests.Flows;

[Collection(InfrastructureCollection.Name)]
public sealed class TraceTests(InfrastructureFixture infrastructure)
{
    private static readonly ActivitySource TestSource = new("LeadHandoff.Tests");

    [Fact]
    public async Task Webhook_ThroughOutboxRabbitMqAndAdapter_IsOneTraceEndingInTheCrmCall()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var target = await GenericTarget.StartAsync();
        await using var targetServer = target.Server;
        await using var api = new ApiHost(Settings.RabbitMq(infrastructure));
        await using var worker = await AdapterWorker.StartAsync(Settings.With(
            Settings.RabbitMq(infrastructure),
            Settings.GenericHttp(target),
            new() { ["LeadHandoff:Adapters:GenericHttp:QueueName"] = "crm-generic-http-" + Guid.NewGuid().ToString("N")[..8] }));
        using var client = api.Webhooks();

        ActivityTraceId traceId;
        using (var root = TestSource.StartActivity("marketing platform posts a webhook"))
        {
            traceId = root!.TraceId;
            using var posted = await client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json());
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        var crmCall = await Eventually.UntilAsync(
            () => Task.FromResult(target.Server.Requests is [var first, ..] ? first : null),
            r => r is not null,
            TimeSpan.FromSeconds(60),
            "the CRM call");
        Assert.Contains(traceId.ToHexString(), crmCall!.Headers["traceparent"], StringComparison.Ordinal);
        var trace = await Eventually.UntilAsync(
            () => Task.FromResult(spans.Where(s => s.TraceId == traceId).ToList()),
            t => t.Any(s => s.OperationName.StartsWith("crm deliver", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            "the adapter's span");
        Assert.Contains(trace, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server);
        Assert.Contains(trace, s => s.OperationName == "outbox publish");
        Assert.Contains(trace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer);
        Assert.Contains(trace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer);
        Assert.Contains(trace, s => s.OperationName == "crm deliver generic-http");
        Assert.Contains(trace, s => s.Source.Name == "System.Net.Http" && s.Kind == ActivityKind.Client
            && string.Equals(s.GetTagItem("server.port")?.ToString(), target.Server.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }
}
