using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests.Platforms;

/// Each platform kind's settings are checked at start-up, every problem at once, each naming its key.
public sealed class SourceSettingsValidationTests
{
    [Fact]
    public void MisconfiguredPlatformSources_AtStartup_StopTheServiceNamingEveryKey()
    {
        var error = Assert.ThrowsAny<Exception>(() => new ApiHost(new Dictionary<string, string?>
        {
            ["LeadHandoff:Sources:hs:Kind"] = "hubspot",
            ["LeadHandoff:Sources:hs:Secrets:0"] = PlatformHost.HubSpotSecret,
            ["LeadHandoff:Sources:hs:PublicUrl"] = "leads.example.com/hook",
            ["LeadHandoff:Sources:hs:Api:BaseUrl"] = "https://api.hubapi.com",
            ["LeadHandoff:Sources:mk:Kind"] = "marketo",
            ["LeadHandoff:Sources:mk:Secrets:0"] = "short",
            ["LeadHandoff:Sources:mk:Fields:favouriteColour"] = "colour",
            ["LeadHandoff:Sources:mk:TimeZone"] = "Mars/Olympus_Mons",
            ["LeadHandoff:Sources:ac:Kind"] = "activecampaign",
            ["LeadHandoff:Sources:ac:Secrets:0"] = PlatformHost.TokenSecret,
            ["LeadHandoff:Sources:ac:Fields:eventId"] = "contact[id]",
        }));

        var message = Flatten(error);
        Assert.Contains("LeadHandoff:Sources:hs:PublicUrl", message, StringComparison.Ordinal);
        Assert.Contains("LeadHandoff:Sources:hs:Api:AccessToken", message, StringComparison.Ordinal);
        Assert.Contains("LeadHandoff:Sources:mk:Secrets:0", message, StringComparison.Ordinal);
        Assert.Contains("LeadHandoff:Sources:mk:Fields:favouriteColour", message, StringComparison.Ordinal);
        Assert.Contains("LeadHandoff:Sources:mk:TimeZone", message, StringComparison.Ordinal);
        Assert.Contains("LeadHandoff:Sources:ac:Fields:eventId", message, StringComparison.Ordinal);
    }

    private static string Flatten(Exception error)
    {
        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                messages.AddRange(aggregate.InnerExceptions.Select(i => i.Message));
            }
        }

        return string.Join(Environment.NewLine, messages);
    }
}
