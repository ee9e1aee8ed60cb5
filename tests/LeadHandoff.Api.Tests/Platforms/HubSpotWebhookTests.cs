using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LeadHandoff.Api.Webhooks.HubSpot;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests.Platforms;

public sealed class HubSpotWebhookTests(PlatformHost host) : IClassFixture<PlatformHost>
{
    private const string InvalidSignature = "urn:leadhandoff:problem:invalid-signature";

    private static string NewObjectId() => Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);

    private static string Batch(string objectId) => PlatformHost.Fixture("hubspot/app-webhook-batch.json")
        .Replace("65059681032", objectId, StringComparison.Ordinal)
        .Replace("\"portalId\": 12345678", "\"portalId\": " + objectId[..8], StringComparison.Ordinal);

    private static string WorkflowContact(string objectId, string email, string firstName = "Zoë", string lastName = "Ångström") => new JsonObject
    {
        ["vid"] = long.Parse(objectId, CultureInfo.InvariantCulture),
        ["portal-id"] = 62515,
        ["properties"] = new JsonObject
        {
            ["email"] = new JsonObject { ["value"] = email },
            ["firstname"] = new JsonObject { ["value"] = firstName },
            ["lastname"] = new JsonObject { ["value"] = lastName },
            ["jobtitle"] = new JsonObject { ["value"] = "VP Marketing" },
            ["company"] = new JsonObject { ["value"] = "Acme" },
            ["hubspotscore"] = new JsonObject { ["value"] = "81" },
            ["lastmodifieddate"] = new JsonObject { ["value"] = "1711234569000" },
        },
    }.ToJsonString();

    [Fact]
    public async Task AppWebhookBatch_SignedV3_IsAcceptedAndMappedOntoTheContactsLead()
    {
        var objectId = NewObjectId();
        var email = Events.UniqueEmail();

        using var batch = await host.PostHubSpotAsync(Batch(objectId));
        await batch.AssertAcceptedAsync(3);
        using var workflow = await host.PostHubSpotAsync(WorkflowContact(objectId, email));
        await workflow.AssertAcceptedAsync(1);

        var lead = await host.LeadByEmailAsync(email);
        Assert.Equal(objectId, lead.GetProperty("externalIds").GetProperty("hubspot").GetString());
        var profile = lead.GetProperty("profile");
        Assert.Equal("Zoë", profile.GetProperty("firstName").GetString());
        Assert.Equal("Ångström", profile.GetProperty("lastName").GetString());
        Assert.Equal("marketingqualifiedlead", profile.GetProperty("customFields").GetProperty("lifecyclestage").GetString());
        Assert.Equal("OPEN", profile.GetProperty("customFields").GetProperty("hs_lead_status").GetString());
        Assert.Equal(81, lead.GetProperty("score").GetInt32());

        var timeline = await host.GetJsonAsync($"/v1/leads/{lead.GetProperty("id").GetString()}/timeline");
        var types = timeline.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("kind").GetString() == "interaction").Select(i => i.GetProperty("type").GetString()).ToList();
        Assert.Equal(["leadUpdated", "leadUpdated", "stageChanged", "leadCreated"], types);
    }

    [Fact]
    public async Task AppWebhookBatch_RedeliveredWithNextAttempt_IsCountedAsDuplicates()
    {
        var body = Batch(NewObjectId());
        using var first = await host.PostHubSpotAsync(body);
        await first.AssertAcceptedAsync(3);

        using var retry = await host.PostHubSpotAsync(body.Replace("\"attemptNumber\": 0", "\"attemptNumber\": 1", StringComparison.Ordinal));

        var answer = await retry.JsonAsync();
        Assert.Equal(0, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(3, answer.GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task UnusedEventTypes_AreAcceptedCountedAndKeptAsRawInteractions()
    {
        var objectId = NewObjectId();
        var email = Events.UniqueEmail();
        var body = $$"""
            [{"eventId":7,"subscriptionId":9,"portalId":62515,"occurredAt":1711234567000,"subscriptionType":"contact.privacyDeletion","attemptNumber":0,"objectId":{{objectId}},"changeSource":"GDPR","appId":54321},
             {"eventId":8,"subscriptionId":10,"portalId":62515,"occurredAt":1711234567001,"subscriptionType":"deal.creation","attemptNumber":0,"objectId":555,"changeSource":"CRM","appId":54321}]
            """;

        long counted = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "leadhandoff.webhook.unmapped")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                // Only this test posts deals: other tests running meanwhile post privacy deletions of their own.
                if (tag.Key == "type" && (string?)tag.Value is "hubspot:deal.creation")
                {
                    Interlocked.Add(ref counted, value);
                }
            }
        });
        listener.Start();

        using var response = await host.PostHubSpotAsync(body);
        await response.AssertAcceptedAsync(2);
        Assert.Equal(1, Interlocked.Read(ref counted));
        using var workflow = await host.PostHubSpotAsync(WorkflowContact(objectId, email));
        await workflow.AssertAcceptedAsync(1);

        var lead = await host.LeadByEmailAsync(email);
        var timeline = await host.GetJsonAsync($"/v1/leads/{lead.GetProperty("id").GetString()}/timeline");
        var raw = Assert.Single(timeline.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("kind").GetString() == "interaction"), i => i.GetProperty("type").GetString() == "other");
        Assert.Equal("hubspot:contact.privacyDeletion", raw.GetProperty("name").GetString());
    }

    [Fact]
    public async Task TamperedBody_IsUnauthorized()
    {
        var body = Batch(NewObjectId());
        var timestamp = TimeProvider.System.GetUtcNow();
        var url = new Uri(host.Http.BaseAddress!, "/v1/webhooks/hubspot").ToString();
        var signature = PlatformHost.HubSpotV3(PlatformHost.HubSpotSecret, "POST", url, body, timestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));

        using var response = await host.PostHubSpotAsync(body.Replace("OPEN", "CLOSED", StringComparison.Ordinal), at: timestamp, signature: signature);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, InvalidSignature);
    }

    [Fact]
    public async Task WrongClientSecret_IsUnauthorized()
    {
        using var response = await host.PostHubSpotAsync(Batch(NewObjectId()), secret: "0a3f1c2e-5b7d-4e9f-a1c3-5e7f9b1d3f5a");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, InvalidSignature);
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public async Task TimestampOutsideFiveMinutes_IsUnauthorized(int minutes)
    {
        using var response = await host.PostHubSpotAsync(Batch(NewObjectId()), at: TimeProvider.System.GetUtcNow().AddMinutes(minutes));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, InvalidSignature);
        Assert.Contains(HubSpotSignature.TimestampHeader, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingSignatureHeaders_AreUnauthorized()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks/hubspot")
        {
            Content = new StringContent(Batch(NewObjectId()), Encoding.UTF8, "application/json"),
        };

        using var response = await host.Http.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, InvalidSignature);
    }

    [Fact]
    public async Task LegacySignature_IsRefusedUnlessTheSourceAllowsIt()
    {
        var body = Batch(NewObjectId());
        var v1 = HubSpotSignature.SignV1(Encoding.UTF8.GetBytes(PlatformHost.HubSpotSecret), Encoding.UTF8.GetBytes(body));

        HttpRequestMessage Legacy(string source)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/{source}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add(HubSpotSignature.LegacyHeader, v1);
            request.Headers.Add(HubSpotSignature.VersionHeader, "v1");
            return request;
        }

        using var refused = await host.Http.SendAsync(Legacy("hubspot"));
        using var allowed = await host.Http.SendAsync(Legacy("hubspot-legacy"));

        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, InvalidSignature);
        await allowed.AssertAcceptedAsync(3);
    }

    [Fact]
    public async Task V2Signature_OverThePublicUrl_IsAcceptedWhenAllowed()
    {
        var body = Batch(NewObjectId());
        var url = new Uri(host.Http.BaseAddress!, "/v1/webhooks/hubspot-legacy?portal=1").ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks/hubspot-legacy?portal=1") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(HubSpotSignature.LegacyHeader, HubSpotSignature.SignV2(Encoding.UTF8.GetBytes(PlatformHost.HubSpotSecret), "POST", url, Encoding.UTF8.GetBytes(body)));
        request.Headers.Add(HubSpotSignature.VersionHeader, "v2");

        using var response = await host.Http.SendAsync(request);

        await response.AssertAcceptedAsync(3);
    }

    [Fact]
    public async Task ConfiguredPublicUrl_IsTheUrlTheSignatureCovers()
    {
        var body = Batch(NewObjectId());

        using var seen = await host.PostHubSpotAsync(body, source: "hubspot-proxied");
        using var published = await host.PostHubSpotAsync(body, source: "hubspot-proxied", signedUrl: "https://leads.example.com/hooks/hubspot");

        await seen.AssertProblemAsync(HttpStatusCode.Unauthorized, InvalidSignature);
        await published.AssertAcceptedAsync(3);
    }

    [Fact]
    public async Task ForwardedSchemeAndHost_AreTheUrlTheSignatureCovers()
    {
        using var response = await host.PostHubSpotAsync(
            Batch(NewObjectId()),
            // HubSpot hashes the URI with %3A decoded; the request line keeps it encoded.
            signedUrl: "https://hooks.example.org/v1/webhooks/hubspot?x=a:b",
            configure: r =>
            {
                r.RequestUri = new Uri("/v1/webhooks/hubspot?x=a%3Ab", UriKind.Relative);
                r.Headers.Add("X-Forwarded-Proto", "https");
                r.Headers.Add("X-Forwarded-Host", "hooks.example.org");
            });

        await response.AssertAcceptedAsync(3);
    }

    [Fact]
    public async Task EventWithoutObjectId_IsBadRequestNamingTheField()
    {
        using var response = await host.PostHubSpotAsync("""[{"eventId":1,"subscriptionId":2,"portalId":3,"occurredAt":1711234567000,"subscriptionType":"contact.creation"}]""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("[0].objectId", out _));
    }
}
