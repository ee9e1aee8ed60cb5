using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Interactions;
using LeadHandoff.Domain.Leads;

namespace LeadHandoff.Domain.Tests;

public sealed class InteractionStatsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static LeadEvent Event(EventType type, int day, string? campaign = null, params string[] topics) => new(
        $"e{day}",
        type,
        Start.AddDays(day),
        new ContactData("a@acme.io", null, null, null, null, null, null, null, null, null, null, ContactData.NoValues, ContactData.NoValues),
        new InteractionData("web", $"touch {day}", null, campaign, topics));

    [Fact]
    public void Record_EmptyHistory_HasNoTouches()
    {
        var stats = new InteractionStats();
        Assert.Equal(0, stats.Total);
        Assert.Null(stats.FirstTouch);
        Assert.Empty(stats.TopInterests(5, Start));
    }

    [Fact]
    public void Record_OutOfOrderEvents_KeepsFirstAndLastTouchByTime()
    {
        var stats = new InteractionStats();
        stats.Record(Event(EventType.PageViewed, 5, "late"), "web");
        stats.Record(Event(EventType.FormSubmitted, 1, "early"), "web");
        stats.Record(Event(EventType.EmailClicked, 3), "mail");

        Assert.Equal(3, stats.Total);
        Assert.Equal("early", stats.FirstTouch!.Campaign);
        Assert.Equal("late", stats.LastTouch!.Campaign);
        Assert.Equal([5, 3, 1], stats.Recent.Select(r => (r.OccurredAt - Start).Days).ToArray());
        Assert.Equal(1, stats.CountOf(EventType.EmailClicked));
    }

    [Fact]
    public void Record_NonInteractionEvents_CountButAreNotTouches()
    {
        var stats = new InteractionStats();
        stats.Record(Event(EventType.ScoreChanged, 1), "crm");

        Assert.Equal(1, stats.Total);
        Assert.Equal(1, stats.CountOf(EventType.ScoreChanged));
        Assert.Null(stats.FirstTouch);
        Assert.Empty(stats.Recent);
    }

    [Fact]
    public void Record_ManyInteractions_KeepsOnlyTheMostRecentTen()
    {
        var stats = new InteractionStats();
        for (var day = 0; day < 15; day++)
        {
            stats.Record(Event(EventType.PageViewed, day), "web");
        }

        stats.Record(Event(EventType.PageViewed, -1), "web");

        Assert.Equal(InteractionStats.RecentLimit, stats.Recent.Count);
        Assert.Equal(14, (stats.Recent[0].OccurredAt - Start).Days);
        Assert.Equal(5, (stats.Recent[^1].OccurredAt - Start).Days);
        Assert.Equal(-1, (stats.FirstTouch!.OccurredAt - Start).Days);
    }

    [Fact]
    public void TopInterests_SameDay_RankByIntentWeightThenName_CaseInsensitive()
    {
        var stats = new InteractionStats();
        stats.Record(Event(EventType.PageViewed, 1, null, "Pricing", "security"), "web");
        stats.Record(Event(EventType.ContentDownloaded, 1, null, "pricing", "API"), "web");
        stats.Record(Event(EventType.WebinarAttended, 1, null, "api", " "), "web");

        var top = stats.TopInterests(3, Start.AddDays(1));

        Assert.Equal(["api", "pricing", "security"], top.Select(t => t.Topic).ToArray());
        Assert.Equal([2, 2, 1], top.Select(t => t.Count).ToArray());
        Assert.Equal([5, 3, 1], top.Select(t => t.Weight).ToArray());
    }

    [Fact]
    public void TopInterests_RecentHighIntent_OutranksOldFrequentTouches()
    {
        var stats = new InteractionStats();
        for (var i = 0; i < 5; i++)
        {
            stats.Record(Event(EventType.EmailOpened, i, null, "newsletter"), "mail");
        }

        stats.Record(Event(EventType.MeetingBooked, 120, null, "demo"), "web");

        var top = stats.TopInterests(2, Start.AddDays(121));

        Assert.Equal(["demo", "newsletter"], top.Select(t => t.Topic).ToArray());
        Assert.Equal([1, 5], top.Select(t => t.Count).ToArray());
    }

    [Fact]
    public void TopInterests_NoTopics_UseTheInteractionName()
    {
        var stats = new InteractionStats();
        stats.Record(Event(EventType.PageViewed, 1), "web");
        Assert.Equal("touch 1", Assert.Single(stats.TopInterests(5, Start)).Topic);
    }

    [Fact]
    public void Record_ThousandsOfInteractions_KeepsTheStateBounded()
    {
        var stats = new InteractionStats();
        for (var i = 0; i < 5000; i++)
        {
            var at = Start.AddHours(i * 10);
            stats.Record(
                new LeadEvent($"e{i}", EventType.PageViewed, at, Event(EventType.PageViewed, 0).Contact, new InteractionData("web", $"page {i}", null, null, [$"topic {i % 300}"])),
                "web");
        }

        Assert.Equal(5000, stats.Total);
        Assert.InRange(stats.Engagement.Days["pageViewed"].Count, 1, EngagementHistory.HorizonDays + 30);
        Assert.Equal(EngagementHistory.AssetLimit, stats.Engagement.Assets.Count);
        Assert.Equal(InterestMark.Limit, stats.Interests.Count);
        Assert.Contains(stats.Engagement.Assets.Values, a => a.Name == "page 4999");
    }

    [Theory]
    [InlineData("formSubmitted", EventType.FormSubmitted)]
    [InlineData("FORMSUBMITTED", EventType.FormSubmitted)]
    [InlineData("meetingBooked", EventType.MeetingBooked)]
    public void EventTypes_ParseCanonicalNames(string name, EventType expected)
    {
        Assert.True(EventTypes.TryParse(name, out var type));
        Assert.Equal(expected, type);
        Assert.Equal(name, EventTypes.Name(type), ignoreCase: true);
    }

    [Theory]
    [InlineData("form_submitted")]
    [InlineData("")]
    [InlineData(null)]
    public void EventTypes_UnknownNames_DoNotParse(string? name) => Assert.False(EventTypes.TryParse(name, out _));
}
