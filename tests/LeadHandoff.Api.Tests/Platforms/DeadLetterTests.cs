using System.Net;
using System.Net.Http.Json;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests.Platforms;

public sealed class DeadLetterTests(PlatformHost host) : IClassFixture<PlatformHost>
{
    [Fact]
    public async Task UnparseableBody_IsBadRequestAndKeptAsDeadLetter()
    {
        const string body = "{\"mautic.lead_post_save_new\":{\"contact\":\"not a list\"}}";

        using var response = await host.PostMauticAsync(body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("mautic.lead_post_save_new", out _));
        var id = problem.GetProperty("deadLetterId").GetInt64();

        var letter = await host.GetJsonAsync($"/v1/webhooks/dead-letters/{id}");
        Assert.Equal("mautic", letter.GetProperty("sourceId").GetString());
        Assert.Equal(body, letter.GetProperty("body").GetString());
        Assert.Equal("pending", letter.GetProperty("status").GetString());
        Assert.False(letter.GetProperty("headers").TryGetProperty("Webhook-Signature", out _));

        var list = await host.GetJsonAsync("/v1/webhooks/dead-letters?source=mautic&status=pending");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task MalformedJson_IsBadRequestNamingThePosition()
    {
        using var response = await host.PostWithTokenAsync("marketo", "{\"email\": \"\"a@b.io\"\"}", "X-Webhook-Token", PlatformHost.TokenSecret);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        Assert.Contains("byte", problem.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reingest_StillUnparseable_KeepsTheDeadLetterAndSaysWhy()
    {
        using var response = await host.PostMauticAsync("{\"timestamp\":\"2024-03-23T22:55:41+00:00\"}");
        var id = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation")).GetProperty("deadLetterId").GetInt64();

        using var reingest = await host.Http.PostAsync($"/v1/webhooks/dead-letters/{id}/reingest", null);

        await reingest.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        var letter = await host.GetJsonAsync($"/v1/webhooks/dead-letters/{id}");
        Assert.Equal("pending", letter.GetProperty("status").GetString());
        Assert.Equal(1, letter.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task UnknownDeadLetter_IsNotFound()
    {
        using var response = await host.Http.PostAsync("/v1/webhooks/dead-letters/987654321/reingest", null);
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "urn:leadhandoff:problem:not-found");
    }
}

/// A mapping fixed in configuration (a restart) lets the kept request through.
public sealed class DeadLetterReingestTests
{
    [Fact]
    public async Task Reingest_AfterTheMappingIsFixed_StoresTheEventsOnce()
    {
        var data = Directory.CreateTempSubdirectory("leadhandoff-deadletter-");
        var email = Events.UniqueEmail();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:LeadHandoff"] = ApiHost.SqliteConnectionString(data.FullName),
            ["LeadHandoff:Sources:marketo:Kind"] = "marketo",
            ["LeadHandoff:Sources:marketo:Secrets:0"] = PlatformHost.TokenSecret,
        };
        // The customer's template names the address "emailAddress", which the default mapping does not know.
        var body = $$"""{"emailAddress": "{{email}}", "firstName": "Élodie", "sentAt": "2024-03-23T22:56:07Z"}""";
        long id;
        try
        {
            await using (var before = new ApiHost(settings))
            {
                using var http = before.CreateClient();
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks/marketo") { Content = JsonContent.Create(System.Text.Json.JsonDocument.Parse(body).RootElement) };
                request.Headers.Add("X-Webhook-Token", PlatformHost.TokenSecret);
                using var response = await http.SendAsync(request);
                var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
                id = problem.GetProperty("deadLetterId").GetInt64();
            }

            settings["LeadHandoff:Sources:marketo:Fields:email"] = "emailAddress";
            await using var after = new ApiHost(settings);
            using var client = after.CreateClient();

            using var reingest = await client.PostAsync($"/v1/webhooks/dead-letters/{id}/reingest", null);
            await reingest.AssertAcceptedAsync(1);
            using var again = await client.PostAsync($"/v1/webhooks/dead-letters/{id}/reingest", null);
            await again.AssertProblemAsync(HttpStatusCode.Conflict, "urn:leadhandoff:problem:validation");

            using var lead = await client.GetAsync("/v1/leads?email=" + Uri.EscapeDataString(email));
            var profile = (await lead.JsonAsync()).GetProperty("profile");
            Assert.Equal("Élodie", profile.GetProperty("firstName").GetString());
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
