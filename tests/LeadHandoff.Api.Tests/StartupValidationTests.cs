using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests;

/// A bad policy or a missing secret stops the process with a message naming what is wrong: never a half-working service.
public sealed class StartupValidationTests
{
    [Fact]
    public async Task InvalidPolicyFile_AtStartup_StopsTheServiceNamingTheFileAndTheRule()
    {
        var path = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, """
            version: "broken-1"
            mql:
              minScore: 50
              fit:
                - id: size
                  field: companySize
                  op: gte
                  value: ten
                - id: phone-rule
                  field: phone
                  op: exists
            sla:
              giveUp: shrug
            """);
        try
        {
            var error = Assert.ThrowsAny<Exception>(() => new ApiHost(new Dictionary<string, string?> { ["LeadHandoff:Policy:Path"] = path }));

            var message = Flatten(error);
            Assert.Contains(path, message, StringComparison.Ordinal);
            Assert.Contains("mql.fit[size]", message, StringComparison.Ordinal);
            Assert.Contains("field 'phone'", message, StringComparison.Ordinal);
            Assert.Contains("sla.giveUp", message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingPolicyFile_AtStartup_StopsTheService()
    {
        var error = Assert.ThrowsAny<Exception>(() => new ApiHost(new Dictionary<string, string?> { ["LeadHandoff:Policy:Path"] = "/nonexistent/policy.yaml" }));
        Assert.Contains("does not exist", Flatten(error), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("standard", "not-base64!", "Secrets:0")]
    [InlineData("carrier-pigeon", "whsec_dGVzdC1zZWNyZXQtZm9yLWxlYWRoYW5kb2ZmLXRlc3Rz", "Kind 'carrier-pigeon'")]
    public void MisconfiguredSource_AtStartup_StopsTheServiceNamingTheSetting(string kind, string secret, string expected)
    {
        var error = Assert.ThrowsAny<Exception>(() => new ApiHost(new Dictionary<string, string?>
        {
            ["LeadHandoff:Sources:broken:Kind"] = kind,
            ["LeadHandoff:Sources:broken:Secrets:0"] = secret,
        }));

        var message = Flatten(error);
        Assert.Contains("LeadHandoff:Sources:broken", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void RabbitMqTransportWithoutConnectionString_AtStartup_StopsTheService()
    {
        var error = Assert.ThrowsAny<Exception>(() => new ApiHost(new Dictionary<string, string?> { ["LeadHandoff:Bus:Transport"] = "RabbitMq" }));
        Assert.Contains("ConnectionStrings:RabbitMq", Flatten(error), StringComparison.Ordinal);
    }

    private static string Flatten(Exception error) => error is AggregateException aggregate
        ? string.Join(Environment.NewLine, aggregate.Flatten().InnerExceptions.Select(Flatten))
        : error.ToString();
}
