using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests.Platforms;

public sealed class MauticWebhookTests(PlatformHost host) : IClassFixture<PlatformHost>
{
    private static string NewContactId() => Random.Shared.Next(100_000, 999_999_999).ToString(CultureInfo.InvariantCulture);

    private static string Fixture(string name, string email, string contactId) => PlatformHost.Fixture($"mautic/{name}")
        .Replace("jane.doe@example.com", email, StringComparison.Ordinal)
        .Replace("\"id\": 5021", "\"id\": " + contactId, StringComparison.Ordinal);

    /// One body with several event types, as Mautic batches them.
    private static string MultiEvent(string email, string contactId)
    {
        var created = JsonNode.Parse(Fixture("lead-post-save-new.json", email, contactId))!.AsObject();
        var points = JsonNode.Parse(Fixture("lead-points-change.json", email, contactId))!.AsObject();
        var contact = points["mautic.lead_points_change"]![0]!["contact"]!.DeepClone();
        created["mautic.lead_points_change"] = points["mautic.lead_points_change"]!.DeepClone();
        created["mautic.form_on_submit"] = new JsonArray(new JsonObject
        {
            ["submission"] = new JsonObject
            {
                ["id"] = 901 + int.Parse(contactId, CultureInfo.InvariantCulture),
                ["form"] = new JsonObject { ["id"] = 3, ["name"] = "Demo request" },
                ["lead"] = contact.DeepClone(),
                ["referer"] = "https://vendor.example/demo",
                ["dateSubmitted"] = "2024-03-23T22:57:00+00:00",
            },
            ["timestamp"] = "2024-03-23T22:57:01+00:00",
        });
        created["mautic.page_on_hit"] = new JsonArray(new JsonObject
        {
            ["hit"] = new JsonObject
            {
                ["id"] = 70 + int.Parse(contactId, CultureInfo.InvariantCulture),
                ["page"] = new JsonObject { ["id"] = 1, ["title"] = "Pricing" },
                ["url"] = "https://vendor.example/pricing",
                ["lead"] = contact.DeepClone(),
                ["dateHit"] = "2024-03-23T22:58:00+00:00",
            },
            ["timestamp"] = "2024-03-23T22:58:01+00:00",
        });
        created["mautic.email_on_open"] = new JsonArray(new JsonObject
        {
            ["stat"] = new JsonObject
            {
                ["id"] = 40 + int.Parse(contactId, CultureInfo.InvariantCulture),
                ["email"] = new JsonObject { ["id"] = 9, ["name"] = "Q4 newsletter", ["subject"] = "What's new" },
                ["lead"] = contact.DeepClone(),
                ["dateRead"] = "2024-03-23T22:59:00+00:00",
            },
            ["timestamp"] = "2024-03-23T22:59:01+00:00",
        });
        created["mautic.lead_post_delete"] = new JsonArray(new JsonObject { ["id"] = contactId, ["contact"] = contact.DeepClone(), ["timestamp"] = "2024-03-23T23:00:00+00:00" });
        created["timestamp"] = "2024-03-23T23:00:01+00:00";
        return created.ToJsonString();
    }

    [Fact]
    public async Task MultiEventBody_Signed_IsAcceptedWithEveryEventOnOneLead()
    {
        var email = Events.UniqueEmail();
        var contactId = NewContactId();

        using var response = await host.PostMauticAsync(MultiEvent(email, contactId));

        await response.AssertAcceptedAsync(6);
        var lead = await host.LeadByEmailAsync(email);
        Assert.Equal(contactId, lead.GetProperty("externalIds").GetProperty("mautic").GetString());
        var profile = lead.GetProperty("profile");
        Assert.Equal("Jane", profile.GetProperty("firstName").GetString());
        Assert.Equal("VP Marketing", profile.GetProperty("jobTitle").GetString());
        Assert.Equal("Acme Corp", profile.GetProperty("company").GetString());
        Assert.Equal("+15555550100", profile.GetProperty("phone").GetString());
        Assert.Equal("MQL", profile.GetProperty("customFields").GetProperty("mautic.stage").GetString());
        Assert.Equal(25, lead.GetProperty("score").GetInt32());

        var timeline = await host.GetJsonAsync($"/v1/leads/{lead.GetProperty("id").GetString()}/timeline");
        var items = timeline.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("kind").GetString() == "interaction").ToList();
        Assert.Equal(
            ["emailOpened", "formSubmitted", "leadCreated", "other", "pageViewed", "scoreChanged"],
            items.Select(i => i.GetProperty("type").GetString()).Order(StringComparer.Ordinal));
        Assert.Contains(items, i => i.GetProperty("name").GetString() == "Demo request");
        Assert.Contains(items, i => i.GetProperty("name").GetString() == "Q4 newsletter");
        Assert.Contains(items, i => i.GetProperty("url").GetString() == "https://vendor.example/pricing");
    }

    [Fact]
    public async Task PhpEscapedSlashes_AreVerifiedOverTheRawBytes()
    {
        var email = Events.UniqueEmail();
        // What PHP's json_encode sends: "\/" for every slash. Re-serializing would drop the escapes and the signature.
        var body = Fixture("lead-post-save-new.json", email, NewContactId())
            .Replace("\"value\": null", "\"value\": \"https:\\/\\/acme.example\\/about\"", StringComparison.Ordinal);

        using var response = await host.PostMauticAsync(body);

        await response.AssertAcceptedAsync(1);
        var lead = await host.LeadByEmailAsync(email);
        Assert.Equal("https://acme.example/about", lead.GetProperty("profile").GetProperty("website").GetString());
    }

    [Fact]
    public async Task SameBodyDeliveredTwice_IsCountedAsDuplicate()
    {
        var body = Fixture("lead-points-change.json", Events.UniqueEmail(), NewContactId());
        using var first = await host.PostMauticAsync(body);
        await first.AssertAcceptedAsync(1);

        using var second = await host.PostMauticAsync(body);

        Assert.Equal(1, (await second.JsonAsync()).GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task TamperedBody_IsUnauthorized()
    {
        var body = Fixture("lead-points-change.json", Events.UniqueEmail(), NewContactId());
        var signature = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(PlatformHost.MauticSecret), System.Text.Encoding.UTF8.GetBytes(body)));

        using var response = await host.PostMauticAsync(body.Replace("\"new_points\": 25", "\"new_points\": 95", StringComparison.Ordinal), signature: signature);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "urn:leadhandoff:problem:invalid-signature");
    }

    [Fact]
    public async Task WrongSecret_IsUnauthorizedAndStoresNothing()
    {
        var email = Events.UniqueEmail();
        using var response = await host.PostMauticAsync(Fixture("lead-points-change.json", email, NewContactId()), secret: "another-mautic-secret-0123456789");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "urn:leadhandoff:problem:invalid-signature");
        using var lookup = await host.Http.GetAsync("/v1/leads?email=" + Uri.EscapeDataString(email));
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task MissingSignature_IsUnauthorized()
    {
        using var response = await host.PostMauticAsync(Fixture("lead-points-change.json", Events.UniqueEmail(), NewContactId()), signature: string.Empty);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "urn:leadhandoff:problem:invalid-signature");
        Assert.Contains("Webhook-Signature", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
