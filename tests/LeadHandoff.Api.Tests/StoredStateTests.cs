using System.Text.Json;
using LeadHandoff.Api.Json;
using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Interactions;
using LeadHandoff.Domain.Leads;

namespace LeadHandoff.Api.Tests;

public sealed class StoredStateTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void InteractionState_RoundTrip_KeepsEveryDayBucketInCompactForm()
    {
        var stats = new InteractionStats();
        foreach (var (type, day) in new[] { (EventType.PageViewed, 300), (EventType.PageViewed, 2), (EventType.PageViewed, 2), (EventType.FormSubmitted, 40) })
        {
            stats.Record(new LeadEvent("e", type, Start.AddDays(day), Events.NoContact, new InteractionData("web", "Pricing", null, null, ["pricing"])), "s");
        }

        var json = JsonSerializer.Serialize(stats, StorageJson.Default.InteractionStats);
        var read = JsonSerializer.Deserialize(json, StorageJson.Default.InteractionStats)!;

        var first = EngagementHistory.DayOf(Start.AddDays(2));
        Assert.Contains($"\"pageViewed\":[{first},2,298,1]", json, StringComparison.Ordinal);
        Assert.Equal(stats.Engagement.Days["pageViewed"], read.Engagement.Days["pageViewed"]);
        Assert.Equal(stats.Engagement.Days["formSubmitted"], read.Engagement.Days["formSubmitted"]);
        Assert.Equal(stats.Interests["pricing"], read.Interests["pricing"]);
    }

    [Fact]
    public void InteractionState_ObjectFormOfDayBuckets_IsStillRead()
    {
        var read = JsonSerializer.Deserialize("""{"engagement":{"days":{"pageViewed":{"20400":3,"20401":1}}}}""", StorageJson.Default.InteractionStats)!;
        Assert.Equal(new Dictionary<int, int> { [20400] = 3, [20401] = 1 }, read.Engagement.Days["pageViewed"]);
    }

    private static class Events
    {
        public static readonly ContactData NoContact = new(
            null, null, null, null, null, null, null, null, null, null, null, ContactData.NoValues, ContactData.NoValues);
    }
}
