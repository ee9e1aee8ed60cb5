using System.Net;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests.Platforms;

/// RD Station, ActiveCampaign, Marketo and Account Engagement: no signature scheme, a shared secret in a header or the URL.
public sealed class TokenSourceWebhookTests(PlatformHost host) : IClassFixture<PlatformHost>
{
    private const string InvalidSignature = "urn:leadhandoff:problem:invalid-signature";
    private const string Form = "application/x-www-form-urlencoded";

    private static string Fixture(string path, string email) =>
        PlatformHost.Fixture(path).Replace("jane.doe@example.com", email, StringComparison.Ordinal)
            .Replace("jane.doe%40example.com", Uri.EscapeDataString(email), StringComparison.Ordinal)
            .Replace("c2f3d2b3-7250-4d27-97f4-eef38be32f7f", "uuid-" + email, StringComparison.Ordinal);

    [Fact]
    public async Task RdStationConversion_WithUrlToken_IsAcceptedAsFormSubmission()
    {
        var email = Events.UniqueEmail();

        using var response = await host.PostWithTokenAsync("rd", Fixture("rdstation/converted.json", email), null, null, queryToken: PlatformHost.TokenSecret);

        await response.AssertAcceptedAsync(1);
        var lead = await host.LeadByEmailAsync(email);
        var profile = lead.GetProperty("profile");
        Assert.Equal("Jane", profile.GetProperty("firstName").GetString());
        Assert.Equal("Doe", profile.GetProperty("lastName").GetString());
        Assert.Equal("Acme Corp", profile.GetProperty("company").GetString());
        Assert.Equal("Florianópolis", profile.GetProperty("customFields").GetProperty("city").GetString());
        Assert.Equal("Option1, Option2", profile.GetProperty("customFields").GetProperty("cf_custom_field_example").GetString());
        Assert.Equal(20, lead.GetProperty("score").GetInt32());
        Assert.Equal("uuid-" + email, lead.GetProperty("externalIds").GetProperty("rdstation").GetString());
        var timeline = await host.GetJsonAsync($"/v1/leads/{lead.GetProperty("id").GetString()}/timeline");
        var item = Assert.Single(timeline.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "interaction");
        Assert.Equal("formSubmitted", item.GetProperty("type").GetString());
        Assert.Equal("ebook-lead-scoring", item.GetProperty("name").GetString());
    }

    [Fact]
    public async Task RdStationMarkedOpportunity_WithHeaderToken_IsAStageChange()
    {
        var email = Events.UniqueEmail();
        var body = Fixture("rdstation/converted.json", email).Replace("WEBHOOK.CONVERTED", "WEBHOOK.MARKED_OPPORTUNITY", StringComparison.Ordinal);

        using var response = await host.PostWithTokenAsync("rd", body, "X-Webhook-Token", PlatformHost.TokenSecret);

        await response.AssertAcceptedAsync(1);
        var lead = await host.LeadByEmailAsync(email);
        Assert.Equal("true", lead.GetProperty("profile").GetProperty("customFields").GetProperty("rdstation.opportunity").GetString());
    }

    [Fact]
    public async Task RdStationLegacyLeadsArray_IsAcceptedPerLead()
    {
        var first = Events.UniqueEmail();
        var second = Events.UniqueEmail();
        var body = $$$"""
            {"leads":[
              {"id":"101","uuid":"u-{{{first}}}","email":"{{{first}}}","name":"João Silva","company":"Açaí Ltda","job_title":"CMO","lead_stage":"Lead","number_conversions":"2",
               "last_conversion":{"content":{"identificador":"webinar-q4"},"created_at":"2024-03-23T19:56:04.254-03:00","source":"Google"}},
              {"id":"102","email":"{{{second}}}","name":"Ana","lead_stage":"Lead","created_at":"2024-03-22T10:00:00-03:00"}
            ]}
            """;

        using var response = await host.PostWithTokenAsync("rd", body, null, null, queryToken: PlatformHost.TokenSecret);

        await response.AssertAcceptedAsync(2);
        var lead = await host.LeadByEmailAsync(first);
        Assert.Equal("João", lead.GetProperty("profile").GetProperty("firstName").GetString());
        Assert.Equal("Açaí Ltda", lead.GetProperty("profile").GetProperty("company").GetString());
        Assert.Equal("Ana", (await host.LeadByEmailAsync(second)).GetProperty("profile").GetProperty("firstName").GetString());
    }

    [Theory]
    [InlineData("rd")]
    [InlineData("ac")]
    public async Task UrlTokenSources_WrongOrMissingToken_AreUnauthorized(string source)
    {
        var body = source == "rd" ? Fixture("rdstation/converted.json", Events.UniqueEmail()) : Fixture("activecampaign/subscribe.form", Events.UniqueEmail());
        var contentType = source == "rd" ? "application/json" : Form;

        using var wrong = await host.PostWithTokenAsync(source, body, null, null, queryToken: "not-the-token-0123456789", contentType: contentType);
        using var missing = await host.PostWithTokenAsync(source, body, null, null, contentType: contentType);

        await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, InvalidSignature);
        await missing.AssertProblemAsync(HttpStatusCode.Unauthorized, InvalidSignature);
    }

    [Fact]
    public async Task ActiveCampaignSubscribe_FormEncoded_IsAcceptedWithMappedFields()
    {
        var email = Events.UniqueEmail();

        using var response = await host.PostWithTokenAsync("ac", Fixture("activecampaign/subscribe.form", email), null, null, queryToken: PlatformHost.TokenSecret, contentType: Form);

        await response.AssertAcceptedAsync(1);
        var lead = await host.LeadByEmailAsync(email);
        var profile = lead.GetProperty("profile");
        Assert.Equal("Jane", profile.GetProperty("firstName").GetString());
        Assert.Equal("Acme Corp", profile.GetProperty("company").GetString());
        Assert.Equal("VP Marketing", profile.GetProperty("jobTitle").GetString());
        Assert.Equal("||Option 1||Option 2||", profile.GetProperty("customFields").GetProperty("fields.2").GetString());
        Assert.Equal("webinar-2024, b2b", profile.GetProperty("customFields").GetProperty("tags").GetString());
        Assert.Equal("3", lead.GetProperty("externalIds").GetProperty("activecampaign").GetString());
        var timeline = await host.GetJsonAsync($"/v1/leads/{lead.GetProperty("id").GetString()}/timeline");
        Assert.Equal("leadCreated", Assert.Single(timeline.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "interaction").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ActiveCampaignUpdate_NonAsciiName_IsDecodedAsUtf8()
    {
        var email = Events.UniqueEmail();
        var body = $"type=update&date_time=2024-03-24T10%3A00%3A00-05%3A00&contact%5Bid%5D=9{Random.Shared.Next(1000, 9999)}&contact%5Bemail%5D={Uri.EscapeDataString(email)}"
            + $"&contact%5Bfirst_name%5D={Uri.EscapeDataString("José")}&contact%5Blast_name%5D={Uri.EscapeDataString("Müller-Šimić")}";

        using var response = await host.PostWithTokenAsync("ac", body, null, null, queryToken: PlatformHost.TokenSecret, contentType: Form);

        await response.AssertAcceptedAsync(1);
        var profile = (await host.LeadByEmailAsync(email)).GetProperty("profile");
        Assert.Equal("José", profile.GetProperty("firstName").GetString());
        Assert.Equal("Müller-Šimić", profile.GetProperty("lastName").GetString());
    }

    [Fact]
    public async Task ActiveCampaign_JsonBody_IsUnsupportedMediaType()
    {
        using var response = await host.PostWithTokenAsync("ac", "{}", null, null, queryToken: PlatformHost.TokenSecret);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "urn:leadhandoff:problem:unsupported-media-type");
    }

    [Fact]
    public async Task MarketoRenderedTemplate_WithHeaderSecret_IsMappedByDefaultTokenNames()
    {
        var email = Events.UniqueEmail();

        using var response = await host.PostWithTokenAsync("marketo", Fixture("marketo/webhook-rendered.json", email), "X-Webhook-Token", PlatformHost.RotatedTokenSecret);

        await response.AssertAcceptedAsync(1);
        var lead = await host.LeadByEmailAsync(email);
        var profile = lead.GetProperty("profile");
        Assert.Equal("Acme & Sons", profile.GetProperty("company").GetString());
        Assert.Equal("VP Marketing", profile.GetProperty("jobTitle").GetString());
        Assert.Equal("MQL", profile.GetProperty("customFields").GetProperty("leadStatus").GetString());
        Assert.Equal("marketo.lead.mql", profile.GetProperty("customFields").GetProperty("marketo.event").GetString());
        Assert.Equal(85, lead.GetProperty("score").GetInt32());
        Assert.Equal("1234567", lead.GetProperty("externalIds").GetProperty("marketo").GetString());
        var timeline = await host.GetJsonAsync($"/v1/leads/{lead.GetProperty("id").GetString()}/timeline");
        var item = Assert.Single(timeline.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "interaction");
        Assert.Equal("MQL Handoff - Score >= 80", item.GetProperty("campaign").GetString());
        // "2024-03-23 22:56:07" rendered in the instance's zone (America/Chicago, CDT in March).
        Assert.Equal(new DateTimeOffset(2024, 3, 24, 3, 56, 7, TimeSpan.Zero), item.GetProperty("occurredAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Marketo_WrongOrMissingSecret_IsUnauthorized()
    {
        var body = Fixture("marketo/webhook-rendered.json", Events.UniqueEmail());

        using var wrong = await host.PostWithTokenAsync("marketo", body, "X-Webhook-Token", "not-the-token-0123456789");
        using var missing = await host.PostWithTokenAsync("marketo", body, null, null);
        using var inUrl = await host.PostWithTokenAsync("marketo", body, null, null, queryToken: PlatformHost.TokenSecret);

        await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, InvalidSignature);
        await missing.AssertProblemAsync(HttpStatusCode.Unauthorized, InvalidSignature);
        await inUrl.AssertProblemAsync(HttpStatusCode.Unauthorized, InvalidSignature);
    }

    [Fact]
    public async Task PardotProspect_WithConfiguredHeader_IsMappedFromTheProspectObject()
    {
        var email = Events.UniqueEmail();

        using var response = await host.PostWithTokenAsync("pardot", Fixture("pardot/external-action-prospect.json", email), "X-Pardot-Token", PlatformHost.TokenSecret);

        await response.AssertAcceptedAsync(1);
        var lead = await host.LeadByEmailAsync(email);
        var profile = lead.GetProperty("profile");
        Assert.Equal("Jane", profile.GetProperty("firstName").GetString());
        Assert.Equal("Acme Corp", profile.GetProperty("company").GetString());
        Assert.Equal("A-", profile.GetProperty("customFields").GetProperty("grade").GetString());
        Assert.Equal(150, lead.GetProperty("score").GetInt32());
        Assert.Equal("123456789", lead.GetProperty("externalIds").GetProperty("pardot").GetString());
    }

    [Fact]
    public async Task Pardot_SecretInTheDefaultHeader_IsUnauthorized()
    {
        using var response = await host.PostWithTokenAsync("pardot", Fixture("pardot/external-action-prospect.json", Events.UniqueEmail()), "X-Webhook-Token", PlatformHost.TokenSecret);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, InvalidSignature);
        Assert.Contains("X-Pardot-Token", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
