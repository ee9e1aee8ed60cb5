using LeadHandoff.Testing;

namespace LeadHandoff.Adapters.Tests.Flows;

/// An enabled adapter without what it needs stops the process with a message naming the setting.
public sealed class AdapterConfigurationTests
{
    [Theory]
    [InlineData("HubSpot", "LeadHandoff:Adapters:HubSpot:AccessToken")]
    [InlineData("Salesforce", "LeadHandoff:Adapters:Salesforce:ClientId")]
    [InlineData("GenericHttp", "LeadHandoff:Adapters:GenericHttp:BaseUrl")]
    public void EnabledAdapter_WithoutItsSettings_StopsTheHostNamingTheSetting(string adapter, string setting)
    {
        var error = Assert.ThrowsAny<Exception>(() => new ApiHost(new Dictionary<string, string?>
        {
            [$"LeadHandoff:Adapters:{adapter}:Enabled"] = "true",
            [$"LeadHandoff:Adapters:{adapter}:BaseUrl"] = adapter == "GenericHttp" ? null : "http://127.0.0.1:9/",
            ["LeadHandoff:Adapters:GenericHttp:Secret"] = "whsec_dGhpcy1pcy1hLXRlc3Qtc2VjcmV0LWtleQ==",
        }));

        Assert.Contains(setting, Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public void GenericAdapter_WithASecretThatIsNotWhsec_StopsTheHost()
    {
        var error = Assert.ThrowsAny<Exception>(() => new ApiHost(new Dictionary<string, string?>
        {
            ["LeadHandoff:Adapters:GenericHttp:Enabled"] = "true",
            ["LeadHandoff:Adapters:GenericHttp:BaseUrl"] = "http://127.0.0.1:9/hooks",
            ["LeadHandoff:Adapters:GenericHttp:Secret"] = "plain-text",
        }));

        Assert.Contains("LeadHandoff:Adapters:GenericHttp:Secret", Flatten(error), StringComparison.Ordinal);
    }

    private static string Flatten(Exception error) => error is AggregateException aggregate
        ? string.Join(" | ", aggregate.Flatten().InnerExceptions.Select(Flatten))
        : error.InnerException is null ? error.Message : error.Message + " | " + Flatten(error.InnerException);
}
