using System.Text;
using LeadHandoff.Api.Webhooks.HubSpot;

namespace LeadHandoff.Api.Tests.Platforms;

public sealed class HubSpotSignatureTests
{
    // The examples of HubSpot's "Validating requests" page (secret, request, resulting hash).
    private const string DocumentedSecret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    private static readonly byte[] DocumentedKey = Encoding.UTF8.GetBytes(DocumentedSecret);

    [Fact]
    public void SignV1_DocumentedExample_ReproducesTheDocumentedHash()
    {
        var body = PlatformHost.Fixture("hubspot/app-webhook-contact-creation.json").TrimEnd();

        Assert.Equal("232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de", HubSpotSignature.SignV1(DocumentedKey, Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("GET", "", "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e")]
    [InlineData("POST", "{\"example_field\":\"example_value\"}", "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900")]
    public void SignV2_DocumentedExamples_ReproduceTheDocumentedHashes(string method, string body, string expected)
    {
        Assert.Equal(expected, HubSpotSignature.SignV2(DocumentedKey, method, "https://www.example.com/webhook_uri", Encoding.UTF8.GetBytes(body)));
        Assert.True(HubSpotSignature.MatchesLegacy([DocumentedKey], "v2", method, "https://www.example.com/webhook_uri", Encoding.UTF8.GetBytes(body), expected));
        Assert.False(HubSpotSignature.MatchesLegacy([DocumentedKey], "v2", method, "https://www.example.com/other_uri", Encoding.UTF8.GetBytes(body), expected));
    }

    [Fact]
    public void MatchesV3_KnownValue_AcceptsItAndRefusesAnyChange()
    {
        // A v3 value computed independently of this code (HubSpot publishes no v3 example).
        const string body = "[{\"eventId\":100,\"subscriptionId\":2439752,\"portalId\":8136442,\"occurredAt\":1704970386905,\"subscriptionType\":\"deal.propertyChange\",\"attemptNumber\":0,\"objectId\":123,\"changeSource\":\"CRM\",\"propertyName\":\"dealstage\",\"propertyValue\":\"sample-value\"}]";
        byte[] key = Encoding.UTF8.GetBytes("3da21a3d-5964-494c-a638-c56abb76d825");
        const string signature = "IirHW2rKOnmjwy3EF7Czp86mGntxQZVDVhKTlGj5jx8=";
        var bytes = Encoding.UTF8.GetBytes(body);

        Assert.True(HubSpotSignature.MatchesV3([key], "POST", "https://api.beta/webhooks", bytes, "1704975585199", signature));
        Assert.False(HubSpotSignature.MatchesV3([key], "POST", "https://api.beta/webhooks", bytes, "1704975585200", signature));
        Assert.False(HubSpotSignature.MatchesV3([key], "PUT", "https://api.beta/webhooks", bytes, "1704975585199", signature));
    }

    [Theory]
    [InlineData("https://example.com/hook?a=b%3Ac%2Fd%40e", "https://example.com/hook?a=b:c/d@e")]
    [InlineData("https://example.com/hook?q=%21%24%27%28%29%2A%2C%3B%3F", "https://example.com/hook?q=!$'()*,;?")]
    [InlineData("https://example.com/hook?name=a%20b%26c", "https://example.com/hook?name=a%20b%26c")]
    [InlineData("https://example.com/hook?x=%3a", "https://example.com/hook?x=:")]
    public void DecodeUri_DocumentedEscapes_AreDecodedAndOthersKept(string sent, string expected)
    {
        Assert.Equal(expected, HubSpotSignature.DecodeUri(sent));
    }
}
