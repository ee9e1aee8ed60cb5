namespace LeadHandoff.Domain.Events;

/// The canonical event vocabulary every source kind maps its platform's payloads onto.
public enum EventType
{
    LeadCreated,
    LeadUpdated,
    ScoreChanged,
    StageChanged,
    FormSubmitted,
    EmailOpened,
    EmailClicked,
    PageViewed,
    ContentDownloaded,
    WebinarAttended,
    MeetingBooked,
    Unsubscribed,
}

public static class EventTypes
{
    private static readonly string[] Names = Enum.GetValues<EventType>().Select(ToCamelCase).ToArray();

    private static readonly Dictionary<string, EventType> ByName = Enum.GetValues<EventType>()
        .ToDictionary(ToCamelCase, t => t, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<string> All => Names;

    public static string Name(EventType type) => Names[(int)type];

    public static bool TryParse(string? name, out EventType type)
    {
        type = default;
        return name is not null && ByName.TryGetValue(name, out type);
    }

    private static string ToCamelCase(EventType type)
    {
        var name = type.ToString();
        return string.Concat(char.ToLowerInvariant(name[0]).ToString(), name.AsSpan(1));
    }
}
