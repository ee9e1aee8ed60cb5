using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using LeadHandoff.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LeadHandoff.Api.Tests.Platforms;

/// A local stand-in for HubSpot's CRM API (GET /crm/v3/objects/contacts/{id}): bearer token required, the first
/// request for a contact rate-limited with 429 + Retry-After, as HubSpot answers past its burst limit.
public sealed class FakeHubSpotApi : IAsyncDisposable
{
    public const string Token = "pat-na1-test-token";

    private readonly WebApplication _app;

    private FakeHubSpotApi(WebApplication app) => _app = app;

    public ConcurrentDictionary<string, string> Emails { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, ConcurrentQueue<(long Timestamp, int Status)>> Requests { get; } = new(StringComparer.Ordinal);

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<FakeHubSpotApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeHubSpotApi(app);
        app.MapGet("/crm/v3/objects/contacts/{id}", (string id, HttpContext context) => fake.Answer(id, context));
        await app.StartAsync();
        fake.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return fake;
    }

    private IResult Answer(string id, HttpContext context)
    {
        var log = Requests.GetOrAdd(id, _ => new ConcurrentQueue<(long, int)>());
        if (context.Request.Headers.Authorization != "Bearer " + Token)
        {
            log.Enqueue((Stopwatch.GetTimestamp(), 401));
            return Results.Json(new { status = "error", category = "INVALID_AUTHENTICATION" }, statusCode: 401);
        }

        if (log.IsEmpty)
        {
            log.Enqueue((Stopwatch.GetTimestamp(), 429));
            context.Response.Headers.RetryAfter = "1";
            return Results.Json(new { status = "error", category = "RATE_LIMITS", message = "You have reached your secondly limit." }, statusCode: 429);
        }

        if (!Emails.TryGetValue(id, out var email))
        {
            log.Enqueue((Stopwatch.GetTimestamp(), 404));
            return Results.Json(new { status = "error", category = "OBJECT_NOT_FOUND" }, statusCode: 404);
        }

        log.Enqueue((Stopwatch.GetTimestamp(), 200));
        return Results.Json(new
        {
            id,
            properties = new Dictionary<string, string?>
            {
                ["email"] = email,
                ["firstname"] = "Søren",
                ["lastname"] = "Kierkegaard",
                ["jobtitle"] = "Head of Marketing",
                ["company"] = "Acme",
                ["hubspotscore"] = "64",
                ["lifecyclestage"] = "lead",
                ["hs_object_id"] = id,
            },
            createdAt = "2024-03-23T22:55:40.000Z",
            updatedAt = "2024-03-23T22:56:07.000Z",
            archived = false,
        });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed class HubSpotEnrichmentTests : IAsyncLifetime
{
    private FakeHubSpotApi _api = null!;
    private PlatformHost _host = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeHubSpotApi.StartAsync();
        _host = new PlatformHost(new Dictionary<string, string?>
        {
            ["LeadHandoff:Sources:hubspot:Api:AccessToken"] = FakeHubSpotApi.Token,
            ["LeadHandoff:Sources:hubspot:Api:BaseUrl"] = _api.BaseUrl.ToString(),
        });
        await _host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task IdOnlyContactEvent_IsAnsweredAtOnceAndTheContactFetchedAfterARateLimit()
    {
        var objectId = Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);
        var email = Events.UniqueEmail();
        _api.Emails[objectId] = email;

        using var response = await _host.PostHubSpotAsync(
            $$"""[{"eventId":11,"subscriptionId":12,"portalId":62515,"occurredAt":1711234560000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":{{objectId}},"changeSource":"CRM","appId":54321}]""");

        await response.AssertAcceptedAsync(1);
        var lead = await Eventually.UntilAsync(
            async () =>
            {
                using var lookup = await _host.Http.GetAsync("/v1/leads?email=" + Uri.EscapeDataString(email));
                return lookup.StatusCode == HttpStatusCode.OK ? await lookup.JsonAsync() : default;
            },
            found => found.ValueKind == System.Text.Json.JsonValueKind.Object,
            TimeSpan.FromSeconds(30),
            "the fetched contact's lead");

        Assert.Equal(objectId, lead.GetProperty("externalIds").GetProperty("hubspot").GetString());
        Assert.Equal("Søren", lead.GetProperty("profile").GetProperty("firstName").GetString());
        Assert.Equal("Head of Marketing", lead.GetProperty("profile").GetProperty("jobTitle").GetString());
        Assert.Equal(64, lead.GetProperty("score").GetInt32());
        var timeline = await _host.GetJsonAsync($"/v1/leads/{lead.GetProperty("id").GetString()}/timeline");
        Assert.Equal(["leadUpdated", "leadCreated"], timeline.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("kind").GetString() == "interaction").Select(i => i.GetProperty("type").GetString()));

        var calls = _api.Requests[objectId].ToArray();
        Assert.Equal([429, 200], calls.Select(c => c.Status));
        Assert.True(Stopwatch.GetElapsedTime(calls[0].Timestamp, calls[1].Timestamp) >= TimeSpan.FromSeconds(0.95), "the retry waited for Retry-After");
    }

    [Fact]
    public async Task ContactWhoseLeadHasAnEmail_IsNotQueuedForAnotherFetch()
    {
        var objectId = Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);
        var email = Events.UniqueEmail();
        _api.Emails[objectId] = email;
        using (var creation = await _host.PostHubSpotAsync(
            $$"""[{"eventId":31,"subscriptionId":32,"portalId":62515,"occurredAt":1711234560000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":{{objectId}},"changeSource":"CRM","appId":54321}]"""))
        {
            await creation.AssertAcceptedAsync(1);
        }

        await Eventually.UntilAsync(
            async () =>
            {
                using var lookup = await _host.Http.GetAsync("/v1/leads?email=" + Uri.EscapeDataString(email));
                return lookup.StatusCode;
            },
            status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30),
            "the fetched contact's lead");
        var connectionString = ApiHost.SqliteConnectionString(_host.Host.DataDirectory);
        await Eventually.UntilAsync(
            () => HubSpotEnrichmentRestartTests.PendingFetchesAsync(connectionString), p => !p.Contains(objectId), TimeSpan.FromSeconds(10), "the done fetch to be deleted");

        using var change = await _host.PostHubSpotAsync(
            $$"""[{"eventId":33,"subscriptionId":34,"portalId":62515,"occurredAt":1711234570000,"subscriptionType":"contact.propertyChange","propertyName":"hubspotscore","propertyValue":"70","attemptNumber":0,"objectId":{{objectId}},"changeSource":"CRM","appId":54321}]""");
        await change.AssertAcceptedAsync(1);

        var lead = await Eventually.UntilAsync(
            () => _host.LeadByEmailAsync(email), l => l.GetProperty("score").GetInt32() == 70, TimeSpan.FromSeconds(10), "the score change");
        Assert.Equal(objectId, lead.GetProperty("externalIds").GetProperty("hubspot").GetString());
        Assert.DoesNotContain(objectId, await HubSpotEnrichmentRestartTests.PendingFetchesAsync(connectionString));
        Assert.Equal([429, 200], _api.Requests[objectId].Select(c => c.Status));
    }

    [Fact]
    public async Task ContactGoneFromHubSpot_LeavesTheIdOnlyLeadAsItWas()
    {
        var objectId = Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);

        using var response = await _host.PostHubSpotAsync(
            $$"""[{"eventId":21,"subscriptionId":22,"portalId":62515,"occurredAt":1711234560000,"subscriptionType":"contact.propertyChange","propertyName":"hs_lead_status","propertyValue":"NEW","attemptNumber":0,"objectId":{{objectId}},"changeSource":"CRM","appId":54321}]""");

        await response.AssertAcceptedAsync(1);
        var calls = await Eventually.UntilAsync(
            () => Task.FromResult(_api.Requests.TryGetValue(objectId, out var log) ? log.Select(c => c.Status).ToList() : []),
            statuses => statuses.Count == 2,
            TimeSpan.FromSeconds(30),
            "the fetch to be retried and answered");
        Assert.Equal([429, 404], calls);
    }
}
