using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests.Platforms;

public sealed class IdentityAcrossPlatformsTests(PlatformHost host) : IClassFixture<PlatformHost>
{
    private static string HubSpotCreation(string objectId) =>
        $$"""[{"eventId":{{objectId[..9]}},"subscriptionId":77,"portalId":62515,"occurredAt":1711234560000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":{{objectId}},"changeSource":"CRM","appId":54321}]""";

    private static string HubSpotWorkflow(string objectId, string email) => new JsonObject
    {
        ["vid"] = long.Parse(objectId, CultureInfo.InvariantCulture),
        ["properties"] = new JsonObject { ["email"] = new JsonObject { ["value"] = email }, ["jobtitle"] = new JsonObject { ["value"] = "Head of Growth" } },
    }.ToJsonString();

    private static string MauticNew(string email, string contactId) => PlatformHost.Fixture("mautic/lead-post-save-new.json")
        .Replace("jane.doe@example.com", email, StringComparison.Ordinal)
        .Replace("\"id\": 5021", "\"id\": " + contactId, StringComparison.Ordinal);

    [Fact]
    public async Task SamePersonFromHubSpotMauticAndRdStation_EndsAsOneLeadWithEveryExternalId()
    {
        var email = Events.UniqueEmail();
        var objectId = Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);
        var mauticId = Random.Shared.Next(100_000, 999_999_999).ToString(CultureInfo.InvariantCulture);

        // HubSpot first: only an objectId, so a lead without an email.
        using (var created = await host.PostHubSpotAsync(HubSpotCreation(objectId)))
        {
            await created.AssertAcceptedAsync(1);
        }

        // Mautic: the same person by email, not yet known to be the HubSpot contact.
        using (var mautic = await host.PostMauticAsync(MauticNew(email, mauticId)))
        {
            await mautic.AssertAcceptedAsync(1);
        }

        var mauticLead = await host.LeadByEmailAsync(email);

        // The HubSpot workflow sends the contact with its email: both identities meet in one event.
        using (var workflow = await host.PostHubSpotAsync(HubSpotWorkflow(objectId, email)))
        {
            await workflow.AssertAcceptedAsync(1);
        }

        var rdBody = PlatformHost.Fixture("rdstation/converted.json")
            .Replace("jane.doe@example.com", email.ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("c2f3d2b3-7250-4d27-97f4-eef38be32f7f", "rd-" + mauticId, StringComparison.Ordinal);
        using (var rd = await host.PostWithTokenAsync("rd", rdBody, null, null, queryToken: PlatformHost.TokenSecret))
        {
            await rd.AssertAcceptedAsync(1);
        }

        var lead = await host.LeadByEmailAsync(email);
        var ids = lead.GetProperty("externalIds");
        Assert.Equal(objectId, ids.GetProperty("hubspot").GetString());
        Assert.Equal(mauticId, ids.GetProperty("mautic").GetString());
        Assert.Equal("rd-" + mauticId, ids.GetProperty("rdstation").GetString());
        Assert.Equal("Head of Growth", lead.GetProperty("profile").GetProperty("jobTitle").GetString());
        Assert.Equal("Jane", lead.GetProperty("profile").GetProperty("firstName").GetString());

        var leadId = lead.GetProperty("id").GetString();
        var timeline = await host.GetJsonAsync($"/v1/leads/{leadId}/timeline");
        Assert.Equal(
            ["formSubmitted", "leadCreated", "leadCreated", "leadUpdated"],
            timeline.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("kind").GetString() == "interaction").Select(i => i.GetProperty("type").GetString()).Order(StringComparer.Ordinal));

        // The record Mautic's event created was merged; its id still answers, with the lead it became.
        var mauticLeadId = mauticLead.GetProperty("id").GetString();
        Assert.NotEqual(leadId, mauticLeadId);
        var merged = await host.GetJsonAsync($"/v1/leads/{mauticLeadId}");
        Assert.Equal(leadId, merged.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Timeline_OfAMergedLead_IsTheSurvivorsTimelineWithTheMergedHistory()
    {
        var email = Events.UniqueEmail();
        var objectId = Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);
        var mauticId = Random.Shared.Next(100_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        using (var created = await host.PostHubSpotAsync(HubSpotCreation(objectId)))
        {
            await created.AssertAcceptedAsync(1);
        }

        using (var mautic = await host.PostMauticAsync(MauticNew(email, mauticId)))
        {
            await mautic.AssertAcceptedAsync(1);
        }

        var loserId = (await host.LeadByEmailAsync(email)).GetProperty("id").GetString();
        using (var workflow = await host.PostHubSpotAsync(HubSpotWorkflow(objectId, email)))
        {
            await workflow.AssertAcceptedAsync(1);
        }

        var survivorId = (await host.LeadByEmailAsync(email)).GetProperty("id").GetString();
        Assert.NotEqual(survivorId, loserId);

        var survivor = await host.GetJsonAsync($"/v1/leads/{survivorId}/timeline");
        var followed = await host.GetJsonAsync($"/v1/leads/{loserId}/timeline");

        Assert.Equal(Entries(survivor), Entries(followed));
        // The Mautic record's own interaction moved with the merge: it is on the survivor's timeline.
        Assert.Contains(Entries(followed), e => e is ("interaction", "leadCreated", "mautic"));
        Assert.Contains(Entries(followed), e => e is ("interaction", "leadCreated", "hubspot"));
    }

    private static List<(string?, string?, string?)> Entries(System.Text.Json.JsonElement timeline) =>
        timeline.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("kind").GetString(), i.GetProperty("type").GetString(), i.GetProperty("source").GetString()))
            .ToList();

    [Fact]
    public async Task TwoIdsOfOneSystem_AreNeverMergedOnAnEmail()
    {
        var email = Events.UniqueEmail();
        var first = Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);
        var second = Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);

        using (var a = await host.PostHubSpotAsync(HubSpotWorkflow(first, email)))
        {
            await a.AssertAcceptedAsync(1);
        }

        using (var b = await host.PostHubSpotAsync(HubSpotCreation(second)))
        {
            await b.AssertAcceptedAsync(1);
        }

        // HubSpot keeps two contacts; an event naming the email and the second id does not fold them together.
        using (var c = await host.PostHubSpotAsync(HubSpotWorkflow(second, email)))
        {
            await c.AssertAcceptedAsync(1);
        }

        var lead = await host.LeadByEmailAsync(email);
        Assert.Equal(first, lead.GetProperty("externalIds").GetProperty("hubspot").GetString());
        using var other = await host.Http.GetAsync($"/v1/leads/{lead.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
