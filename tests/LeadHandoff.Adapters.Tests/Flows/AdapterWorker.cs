using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using LeadHandoff.Testing;

namespace LeadHandoff.Adapters.Tests.Flows;

/// The adapter worker as its Program.cs builds it, on a free loopback port, configured through its public settings.
internal sealed class AdapterWorker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AdapterWorker(WebApplication app, HttpClient http)
    {
        _app = app;
        Http = http;
    }

    public HttpClient Http { get; }

    public static async Task<AdapterWorker> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings) { ["Logging:LogLevel:Default"] = "Warning" });
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.AddCrmAdapterHost();
        var app = builder.Build();
        app.MapCrmAdapterHost();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var worker = new AdapterWorker(app, new HttpClient { BaseAddress = new Uri(address) });

        // The bus starts in the background; until its receive endpoints are up, their queues may not be bound yet
        // and a handoff published now would reach no adapter. Readiness says when they are.
        await Eventually.UntilAsync(
            async () => (await worker.Http.GetAsync("/health/ready")).StatusCode,
            status => status == System.Net.HttpStatusCode.OK,
            TimeSpan.FromSeconds(60),
            "the adapter worker to be ready");
        return worker;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
