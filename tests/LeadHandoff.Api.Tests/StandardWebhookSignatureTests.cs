using System.Text;
using LeadHandoff.Api.Webhooks.Standard;

namespace LeadHandoff.Api.Tests;

public sealed class StandardWebhookSignatureTests
{
    // The test vector published with the Standard Webhooks specification and its reference libraries.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private const string Payload = "{\"test\": 2432232314}";
    private const string Expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Sign_SpecificationTestVector_ReproducesTheExpectedSignature()
    {
        var key = StandardWebhookSignature.DecodeSecret(Secret);
        Assert.Equal(Expected, StandardWebhookSignature.Sign(key, Id, Timestamp, Encoding.UTF8.GetBytes(Payload)));
    }

    [Theory]
    [InlineData(Expected, true)]
    [InlineData("v1,bm9wZQ== " + Expected, true)]
    [InlineData("v2," + "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", false)]
    [InlineData("v1,h0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", false)]
    [InlineData("garbage", false)]
    public void Matches_SpecificationTestVector_AcceptsOnlyAValidV1Signature(string header, bool expected)
    {
        var key = StandardWebhookSignature.DecodeSecret(Secret);
        Assert.Equal(expected, StandardWebhookSignature.Matches([key], Id, "1614265330", Encoding.UTF8.GetBytes(Payload), header));
    }

    [Fact]
    public void Matches_BodyChangedByOneByte_IsRejected()
    {
        var key = StandardWebhookSignature.DecodeSecret(Secret);
        Assert.False(StandardWebhookSignature.Matches([key], Id, "1614265330", Encoding.UTF8.GetBytes("{\"test\": 2432232315}"), Expected));
    }

    [Theory]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_c2hvcnQ=")]
    public void DecodeSecret_Malformed_ThrowsFormatException(string secret) =>
        Assert.Throws<FormatException>(() => StandardWebhookSignature.DecodeSecret(secret));
}
