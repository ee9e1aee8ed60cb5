using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using LeadHandoff.Testing;
using Microsoft.Data.Sqlite;

namespace LeadHandoff.Api.Tests.Platforms;

public sealed class HubSpotDeletionTests(PlatformHost host) : IClassFixture<PlatformHost>
{
    private static string NewObjectId() => Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);

    private static string WorkflowContact(string objectId, string email) => new JsonObject
    {
        ["vid"] = long.Parse(objectId, CultureInfo.InvariantCulture),
        ["properties"] = new JsonObject
        {
            ["email"] = new JsonObject { ["value"] = email },
            ["firstname"] = new JsonObject { ["value"] = "Zoë" },
            ["lastname"] = new JsonObject { ["value"] = "Ångström" },
            ["phone"] = new JsonObject { ["value"] = "+33 6 12 34 56 78" },
            ["jobtitle"] = new JsonObject { ["value"] = "VP Marketing" },
            ["company"] = new JsonObject { ["value"] = "Acme" },
            ["favourite_colour"] = new JsonObject { ["value"] = "teal" },
            ["lifecyclestage"] = new JsonObject { ["value"] = "lead" },
            ["lastmodifieddate"] = new JsonObject { ["value"] = "1711234569000" },
        },
    }.ToJsonString();

    private static string AppEvent(string objectId, string type, int eventId) =>
        $$"""[{"eventId":{{eventId}},"subscriptionId":77,"portalId":62515,"occurredAt":1711234580000,"subscriptionType":"{{type}}","attemptNumber":0,"objectId":{{objectId}},"changeFlag":"DELETED","changeSource":"GDPR","appId":54321}]""";

    private string ConnectionString => ApiHost.SqliteConnectionString(host.Host.DataDirectory);

    [Fact]
    public async Task PrivacyDeletion_OfAKnownContact_ErasesItsPersonalDataAndKeepsTheAnonymousFacts()
    {
        var objectId = NewObjectId();
        var email = Events.UniqueEmail();
        using (var workflow = await host.PostHubSpotAsync(WorkflowContact(objectId, email)))
        {
            await workflow.AssertAcceptedAsync(1);
        }

        var leadId = (await host.LeadByEmailAsync(email)).GetProperty("id").GetString();
        using (var invalid = await host.PostHubSpotAsync($$"""[{"objectId":{{objectId}},"email":"{{email}}"}]"""))
        {
            await invalid.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:leadhandoff:problem:validation");
        }

        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM webhook_dead_letters WHERE instr(CAST(\"Body\" AS TEXT), '{objectId}') > 0"));

        using (var deletion = await host.PostHubSpotAsync(AppEvent(objectId, "contact.privacyDeletion", 91)))
        {
            await deletion.AssertAcceptedAsync(1);
        }

        using (var byEmail = await host.Http.GetAsync("/v1/leads?email=" + Uri.EscapeDataString(email)))
        {
            Assert.Equal(HttpStatusCode.NotFound, byEmail.StatusCode);
        }

        var lead = await host.GetJsonAsync($"/v1/leads/{leadId}");
        var profile = lead.GetProperty("profile");
        foreach (var erased in new[] { "email", "firstName", "lastName", "phone", "jobTitle" })
        {
            Assert.True(!profile.TryGetProperty(erased, out var value) || value.ValueKind == System.Text.Json.JsonValueKind.Null, erased + " is erased");
        }

        Assert.Equal("Acme", profile.GetProperty("company").GetString());
        Assert.Equal(objectId, lead.GetProperty("externalIds").GetProperty("hubspot").GetString());
        var profileJson = profile.GetRawText();
        Assert.DoesNotContain("teal", profileJson, StringComparison.Ordinal);
        Assert.Contains("lifecyclestage", profileJson, StringComparison.Ordinal);

        var timeline = await host.GetJsonAsync($"/v1/leads/{leadId}/timeline");
        Assert.Equal(2, timeline.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("kind").GetString() == "interaction"));
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM interaction_events WHERE \"LeadId\" = '{leadId!.ToUpperInvariant()}' AND (instr(\"Payload\", '{email}') > 0 OR instr(\"Payload\", 'Zo') > 0)"));
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM webhook_dead_letters WHERE instr(CAST(\"Body\" AS TEXT), '{objectId}') > 0"));
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM lead_erasures WHERE \"LeadId\" = '{leadId.ToUpperInvariant()}' AND \"Reason\" = 'hubspot:contact.privacyDeletion' AND \"DeadLettersScrubbed\" = 1 AND \"InteractionsScrubbed\" = 1"));
    }

    [Fact]
    public async Task PrivacyDeletion_OfAHandedOffLead_StripsThePersonFromTheStoredHandoffMessages()
    {
        var (handoffId, leadId) = await Handoffs.CreateAsync(host.Host.Webhooks());
        var lead = await host.GetJsonAsync($"/v1/leads/{leadId}");
        var objectId = lead.GetProperty("externalIds").GetProperty("hubspot").GetString()!;
        var person = $"SELECT COUNT(*) FROM {{0}} WHERE instr(\"Payload\", '{leadId}') > 0 AND (instr(\"Payload\", '\"email\"') > 0 OR instr(\"Payload\", 'Jane') > 0)";
        Assert.Equal(1, await CountAsync(string.Format(CultureInfo.InvariantCulture, person, "handoffs")));

        using (var deletion = await host.PostHubSpotAsync(AppEvent(System.Text.Json.JsonSerializer.Serialize(objectId), "contact.privacyDeletion", 93)))
        {
            await deletion.AssertAcceptedAsync(1);
        }

        Assert.Equal(0, await CountAsync(string.Format(CultureInfo.InvariantCulture, person, "handoffs")));
        Assert.Equal(0, await CountAsync(string.Format(CultureInfo.InvariantCulture, person, "outbox_messages")));
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM handoffs WHERE \"Id\" = '{handoffId.ToUpperInvariant()}' AND instr(\"Payload\", '\"company\":\"Acme\"') > 0"));
        Assert.Equal(1, await CountAsync($"SELECT COUNT(*) FROM lead_erasures WHERE \"LeadId\" = '{leadId.ToUpperInvariant()}' AND \"HandoffsScrubbed\" = 1"));
    }

    [Fact]
    public async Task Deletion_OfAKnownContact_IsOnTheTimelineAndKeepsTheLead()
    {
        var objectId = NewObjectId();
        var email = Events.UniqueEmail();
        using (var workflow = await host.PostHubSpotAsync(WorkflowContact(objectId, email)))
        {
            await workflow.AssertAcceptedAsync(1);
        }

        using (var deletion = await host.PostHubSpotAsync(AppEvent(objectId, "contact.deletion", 92)))
        {
            await deletion.AssertAcceptedAsync(1);
        }

        var lead = await host.LeadByEmailAsync(email);
        Assert.Equal("Zoë", lead.GetProperty("profile").GetProperty("firstName").GetString());
        var timeline = await host.GetJsonAsync($"/v1/leads/{lead.GetProperty("id").GetString()}/timeline");
        Assert.Equal(2, timeline.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("kind").GetString() == "interaction"));
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM lead_erasures WHERE \"LeadId\" = '{lead.GetProperty("id").GetString()!.ToUpperInvariant()}'"));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
