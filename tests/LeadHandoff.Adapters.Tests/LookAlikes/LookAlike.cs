using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadHandoff.Adapters.Tests.LookAlikes;

/// A request as the look-alike received it.
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body, int Status, DateTimeOffset ReceivedAt);

/// A CRM API stand-in on a real Kestrel (free loopback port): the routes behave like the documented API, every request
/// is recorded, and faults can be scripted — the next N requests answer a status (with <c>Retry-After</c>), a
/// malformed body, or the whole API is down until told otherwise.
public sealed class LookAlike : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Fault> _faults = [];
    private readonly Lock _faultsLock = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private volatile bool _down;

    private LookAlike(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    private int _faultsAnswered;

    /// Requests answered with a fault; concurrent requests count atomically.
    public int FaultsAnswered => Volatile.Read(ref _faultsAnswered);

    public static async Task<LookAlike> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var lookAlike = new LookAlike(app);
        app.Use(lookAlike.InterceptAsync);
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        lookAlike.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return lookAlike;
    }

    /// The next <paramref name="count"/> requests answer <paramref name="status"/> instead of being served.
    /// With <paramref name="path"/>, only requests whose path contains it are answered so.
    public void FailNext(int count, int status, TimeSpan? retryAfter = null, string? body = null, string contentType = "application/json", string? path = null)
    {
        lock (_faultsLock)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Add(new Fault(status, retryAfter, body, contentType, path));
            }
        }
    }

    private Fault? TakeFault(string path)
    {
        lock (_faultsLock)
        {
            var index = _faults.FindIndex(f => f.Path is null || path.Contains(f.Path, StringComparison.Ordinal));
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index];
            _faults.RemoveAt(index);
            return fault;
        }
    }

    /// While down, every request answers <c>503</c> (an outage of the whole API).
    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task InterceptAsync(HttpContext context, RequestDelegate next)
    {
        var receivedAt = TimeProvider.System.GetUtcNow();
        context.Request.EnableBuffering();
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true))
        {
            body = await reader.ReadToEndAsync();
        }

        context.Request.Body.Position = 0;
        if (_down)
        {
            Interlocked.Increment(ref _faultsAnswered);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
        else if (TakeFault(context.Request.Path.Value ?? "") is { } fault)
        {
            Interlocked.Increment(ref _faultsAnswered);
            context.Response.StatusCode = fault.Status;
            if (fault.RetryAfter is { } delay)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            if (fault.Body is not null)
            {
                context.Response.ContentType = fault.ContentType;
                await context.Response.WriteAsync(fault.Body);
            }
        }
        else
        {
            await next(context);
        }

        _requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal),
            body,
            context.Response.StatusCode,
            receivedAt));
    }

    private sealed record Fault(int Status, TimeSpan? RetryAfter, string? Body, string ContentType, string? Path);
}

internal static class ResultWriting
{
    /// Minimal-API results written by a plain request delegate.
    public static async Task WriteTo(this Task<IResult> result, HttpContext context) => await (await result).ExecuteAsync(context);
}
