using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests;

/// Every refusal is a problem-details answer with a stable type, and leaves nothing behind.
public sealed class WebhookRejectionTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private readonly WebhookClient _client = fixture.Client;

    [Fact]
    public async Task WrongSecret_IsUnauthorizedAndStoresNothing()
    {
        var email = Events.UniqueEmail();
        using var response = await _client.PostAsync(Events.Qualifying(email).Json(), secret: "whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "urn:leadhandoff:problem:invalid-signature");
        await AssertNoLeadAsync(email);
    }

    [Fact]
    public async Task TamperedBody_IsUnauthorized()
    {
        var body = Events.Qualifying(Events.UniqueEmail()).Json();
        var at = TimeProvider.System.GetUtcNow();
        var signature = WebhookClient.Sign(ApiHost.Secret, "msg-tamper", at.ToUnixTimeSeconds(), body);

        using var response = await _client.PostAsync(body.Replace("\"score\":72", "\"score\":99", StringComparison.Ordinal), "msg-tamper", timestamp: at, signature: signature);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "urn:leadhandoff:problem:invalid-signature");
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public async Task TimestampOutsideTolerance_IsUnauthorized(int minutes)
    {
        using var response = await _client.PostAsync(
            Events.Qualifying(Events.UniqueEmail()).Json(), timestamp: TimeProvider.System.GetUtcNow().AddMinutes(minutes));

        var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "urn:leadhandoff:problem:invalid-signature");
        Assert.Contains("webhook-timestamp", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-240)]
    [InlineData(240)]
    public async Task TimestampJustInsideTolerance_IsAccepted(int seconds)
    {
        using var response = await _client.PostAsync(
            Events.Qualifying(Events.UniqueEmail()).Json(), timestamp: TimeProvider.System.GetUtcNow().AddSeconds(seconds));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task OccurredAtWithoutOffset_IsBadRequest()
    {
        var node = Events.Qualifying(Events.UniqueEmail());
        node["occurredAt"] = "2026-11-20T14:03:00";

        using var response = await _client.PostAsync(node.Json());

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("occurredAt", out _));
    }

    [Fact]
    public async Task OverlongIds_AreBadRequestNotAServerError()
    {
        var node = Events.Qualifying(Events.UniqueEmail());
        node.Remove("eventId");
        node["lead"]!["externalIds"]!["hubspot"] = new string('9', 300);

        using var response = await _client.PostAsync(node.Json(), webhookId: "msg_" + new string('x', 250));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("eventId", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("lead.externalIds.hubspot", out _));
    }

    [Fact]
    public async Task MissingSignatureHeaders_IsUnauthorized()
    {
        using var response = await _client.Http.PostAsync(
            $"/v1/webhooks/{ApiHost.SourceId}", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "urn:leadhandoff:problem:invalid-signature");
    }

    [Fact]
    public async Task UnknownSource_IsNotFound()
    {
        using var response = await _client.PostAsync("{}", source: "nope");
        await AssertProblemAsync(response, HttpStatusCode.NotFound, "urn:leadhandoff:problem:unknown-source");
    }

    [Fact]
    public async Task WrongMediaType_IsUnsupported()
    {
        using var response = await _client.PostAsync(Events.Qualifying(Events.UniqueEmail()).Json(), contentType: "text/plain");
        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "urn:leadhandoff:problem:unsupported-media-type");
    }

    [Fact]
    public async Task BodyOverTheLimit_IsTooLarge()
    {
        var node = Events.Qualifying(Events.UniqueEmail());
        node["lead"]!["customFields"]!["notes"] = new string('x', 70_000);

        using var response = await _client.PostAsync(node.Json());

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "urn:leadhandoff:problem:payload-too-large");
    }

    [Fact]
    public async Task MalformedJson_IsBadRequestNamingWhere()
    {
        using var response = await _client.PostAsync("{\"eventId\": \"x\", ");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));
    }

    [Fact]
    public async Task InvalidFields_AreReportedPerFieldAndNothingIsStored()
    {
        var goodEmail = Events.UniqueEmail();
        var bad = Events.Qualifying("not-an-email", type: "somethingElse");
        bad["occurredAt"] = "yesterday";
        bad["lead"]!["companySize"] = "big";

        using var response = await _client.PostAsync(Events.Batch(Events.Qualifying(goodEmail), bad));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("events[1].type", out _));
        Assert.True(errors.TryGetProperty("events[1].occurredAt", out _));
        Assert.True(errors.TryGetProperty("events[1].lead.email", out _));
        Assert.True(errors.TryGetProperty("events[1].lead.companySize", out _));
        // The valid event of a rejected request is not stored either: a request is all or nothing.
        await AssertNoLeadAsync(goodEmail);
    }

    [Fact]
    public async Task EventWithoutIdentity_IsBadRequest()
    {
        var node = Events.Qualifying("x@acme.io");
        var lead = node["lead"]!.AsObject();
        lead.Remove("email");
        lead.Remove("externalIds");

        using var response = await _client.PostAsync(node.Json());

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("lead.email", out _));
    }

    private async Task AssertNoLeadAsync(string email)
    {
        using var response = await _client.Http.GetAsync($"/v1/leads?email={email}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(type, problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        return problem;
    }
}
