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

    public Dictionary<string, int> Topics { get; set; } = new(StringComparer.Ordinal);

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

        foreach (var topic in interaction?.Topics ?? [])
        {
            var key = topic.Trim().ToLowerInvariant();
            if (key.Length > 0)
            {
                Topics[key] = Topics.GetValueOrDefault(key) + 1;
            }
        }
    }

    public int CountOf(EventType type) => CountsByType.GetValueOrDefault(EventTypes.Name(type));

    /// Most frequent first; ties broken alphabetically so the order is stable.
    public IReadOnlyList<KeyValuePair<string, int>> TopInterests(int limit) => Topics
        .OrderByDescending(t => t.Value)
        .ThenBy(t => t.Key, StringComparer.Ordinal)
        .Take(limit)
        .ToList();

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
