using LeadHandoff.Domain.Events;

namespace LeadHandoff.Domain.Interactions;

/// One interaction as the seller sees it.
public sealed record TouchPoint(
    EventType Type,
    DateTimeOffset OccurredAt,
    string Source,
    string? Channel,
    string? Name,
    string? Url,
    string? Campaign);

/// A running summary of a lead's history, updated per event so a handoff never scans the whole history.
/// Out-of-order events land where their timestamps put them.
public sealed class InteractionStats
{
    public const int RecentLimit = 10;

    public int Total { get; set; }

    public Dictionary<string, int> CountsByType { get; set; } = new(StringComparer.Ordinal);

    public TouchPoint? FirstTouch { get; set; }

    public TouchPoint? LastTouch { get; set; }

    /// Newest first, at most <see cref="RecentLimit"/>.
    public List<TouchPoint> Recent { get; set; } = [];

    /// Topic (lower case) → how much and how recently the lead showed interest in it.
    public Dictionary<string, InterestMark> Interests { get; set; } = new(StringComparer.Ordinal);

    public EngagementHistory Engagement { get; set; } = new();

    /// Types that are something the lead did, as opposed to a platform updating its record.
    public static bool IsInteraction(EventType type) => type is EventType.FormSubmitted
        or EventType.EmailOpened
        or EventType.EmailClicked
        or EventType.PageViewed
        or EventType.ContentDownloaded
        or EventType.WebinarAttended
        or EventType.MeetingBooked;

    public void Record(LeadEvent leadEvent, string source)
    {
        ArgumentNullException.ThrowIfNull(leadEvent);
        Total++;
        var typeName = EventTypes.Name(leadEvent.Type);
        CountsByType[typeName] = CountsByType.GetValueOrDefault(typeName) + 1;

        if (!IsInteraction(leadEvent.Type))
        {
            return;
        }

        var interaction = leadEvent.Interaction;
        var touch = new TouchPoint(
            leadEvent.Type,
            leadEvent.OccurredAt,
            source,
            interaction?.Channel,
            interaction?.Name,
            interaction?.Url,
            interaction?.Campaign);

        if (FirstTouch is null || touch.OccurredAt < FirstTouch.OccurredAt)
        {
            FirstTouch = touch;
        }

        if (LastTouch is null || touch.OccurredAt >= LastTouch.OccurredAt)
        {
            LastTouch = touch;
        }

        InsertRecent(touch);
        Engagement.Record(leadEvent.Type, leadEvent.OccurredAt, interaction);
        RecordInterests(leadEvent.Type, leadEvent.OccurredAt, interaction);
    }

    public int CountOf(EventType type) => CountsByType.GetValueOrDefault(EventTypes.Name(type));

    /// Strongest interest first as of <paramref name="asOf"/>: intent-weighted and decayed by age, so a recent
    /// demo request outranks last year's newsletter clicks. Ties broken alphabetically so the order is stable.
    public IReadOnlyList<RankedInterest> TopInterests(int limit, DateTimeOffset asOf) => Interests
        .Select(i => new RankedInterest(i.Key, i.Value.Count, Math.Round(i.Value.WeightAt(asOf), 2), i.Value.LastAt))
        .OrderByDescending(i => i.Weight)
        .ThenBy(i => i.Topic, StringComparer.Ordinal)
        .Take(limit)
        .ToList();

    private void RecordInterests(EventType type, DateTimeOffset at, InteractionData? interaction)
    {
        var topics = interaction?.Topics is { Count: > 0 } explicitTopics
            ? explicitTopics
            : interaction?.Name is { } name ? [name] : [];
        var intent = InterestMark.Intent(type);
        foreach (var topic in topics)
        {
            var key = topic.Trim().ToLowerInvariant();
            if (key.Length == 0 || key.Length > InterestMark.MaxTopicLength)
            {
                continue;
            }

            Interests[key] = Interests.TryGetValue(key, out var mark) ? mark.Add(intent, at) : new InterestMark(1, intent, at, at);
        }

        if (Interests.Count > InterestMark.Limit)
        {
            Interests.Remove(Interests.MinBy(i => i.Value.WeightAt(at)).Key);
        }
    }

    private void InsertRecent(TouchPoint touch)
    {
        var index = Recent.FindIndex(r => r.OccurredAt < touch.OccurredAt);
        if (index < 0)
        {
            if (Recent.Count >= RecentLimit)
            {
                return;
            }

            Recent.Add(touch);
            return;
        }

        Recent.Insert(index, touch);
        if (Recent.Count > RecentLimit)
        {
            Recent.RemoveAt(Recent.Count - 1);
        }
    }
}

/// One topic's interest: <see cref="Weight"/> is the intent-weighted sum of its touches, decayed to <see cref="AsOf"/>.
public sealed record InterestMark(int Count, double Weight, DateTimeOffset AsOf, DateTimeOffset LastAt)
{
    public const int Limit = 50;

    public const int MaxTopicLength = 80;

    /// Interest halves every month without a new touch.
    public const double HalfLifeDays = 30;

    /// How much a touch says about buying intent: a meeting or a form is a deliberate act, an opened email barely one.
    public static double Intent(EventType type) => type switch
    {
        EventType.MeetingBooked => 5,
        EventType.FormSubmitted => 3,
        EventType.WebinarAttended => 3,
        EventType.ContentDownloaded => 2,
        EventType.EmailClicked => 1,
        EventType.PageViewed => 1,
        _ => 0.5,
    };

    public double WeightAt(DateTimeOffset at) => Weight * Decay(at - AsOf);

    public InterestMark Add(double intent, DateTimeOffset at) => at >= AsOf
        ? new InterestMark(Count + 1, (Weight * Decay(at - AsOf)) + intent, at, at > LastAt ? at : LastAt)
        : this with { Count = Count + 1, Weight = Weight + (intent * Decay(AsOf - at)) };

    private static double Decay(TimeSpan age) => age <= TimeSpan.Zero ? 1 : Math.Pow(0.5, age.TotalDays / HalfLifeDays);
}

public sealed record RankedInterest(string Topic, int Count, double Weight, DateTimeOffset LastAt);
