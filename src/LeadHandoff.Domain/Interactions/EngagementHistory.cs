using LeadHandoff.Domain.Events;

namespace LeadHandoff.Domain.Interactions;

/// Something the lead touched (a page, an asset, a form), kept by name so rules such as "visited the pricing page"
/// need no history scan.
public sealed record AssetMark(string Type, string Name, int Count, DateTimeOffset LastAt);

/// A compact, policy-independent record of engagement: per event type, interaction counts in UTC-day buckets
/// (bounded by <see cref="HorizonDays"/>), plus the most recently touched assets. Updated per event in O(1) and
/// read by rules in time proportional to the buckets, never to the number of interactions; because it keeps
/// counts rather than points, a policy change re-weights history without replaying it.
public sealed class EngagementHistory
{
    /// Buckets older than this, relative to the newest one of their type, are dropped.
    public const int HorizonDays = 400;

    public const int AssetLimit = 100;

    private const int MaxAssetName = 120;

    /// Event type name → UTC day number (days since 1970-01-01) → interactions that day.
    public Dictionary<string, Dictionary<int, int>> Days { get; set; } = new(StringComparer.Ordinal);

    /// <c>type:name</c> (lower case) → the latest touch of that asset.
    public Dictionary<string, AssetMark> Assets { get; set; } = new(StringComparer.Ordinal);

    public static int DayOf(DateTimeOffset at) => (int)Math.Floor(at.ToUnixTimeSeconds() / 86_400d);

    public void Record(EventType type, DateTimeOffset at, InteractionData? interaction)
    {
        var typeName = EventTypes.Name(type);
        if (!Days.TryGetValue(typeName, out var days))
        {
            days = [];
            Days[typeName] = days;
        }

        var day = DayOf(at);
        days[day] = days.GetValueOrDefault(day) + 1;
        if (days.Count > HorizonDays + 30)
        {
            var cutoff = days.Keys.Max() - HorizonDays;
            foreach (var old in days.Keys.Where(d => d < cutoff).ToList())
            {
                days.Remove(old);
            }
        }

        var name = AssetName(interaction);
        if (name is not null)
        {
            RecordAsset(typeName, name, at);
        }
    }

    /// Interactions of the given types (all types when empty) over the <paramref name="withinDays"/> UTC calendar
    /// days ending with the day of <paramref name="asOf"/>: a window of 1 is "today".
    public int CountWithin(IReadOnlySet<EventType> types, int withinDays, DateTimeOffset asOf)
    {
        var last = DayOf(asOf);
        var first = last - withinDays + 1;
        var count = 0;
        foreach (var (typeName, days) in Days)
        {
            if (types.Count > 0 && !(EventTypes.TryParse(typeName, out var type) && types.Contains(type)))
            {
                continue;
            }

            foreach (var (day, n) in days)
            {
                if (day >= first && day <= last)
                {
                    count += n;
                }
            }
        }

        return count;
    }

    /// Points per interaction type, each halved every <paramref name="halfLifeDays"/> days of age (no decay when
    /// null). Interactions dated after <paramref name="asOf"/> count in full.
    public double DecayedPoints(IReadOnlyDictionary<EventType, double> points, double? halfLifeDays, DateTimeOffset asOf)
    {
        var today = DayOf(asOf);
        var total = 0d;
        foreach (var (typeName, days) in Days)
        {
            if (!EventTypes.TryParse(typeName, out var type) || !points.TryGetValue(type, out var weight))
            {
                continue;
            }

            foreach (var (day, n) in days)
            {
                var age = Math.Max(0, today - day);
                total += n * weight * (halfLifeDays is { } h ? Math.Pow(0.5, age / h) : 1);
            }
        }

        return total;
    }

    /// The most recent touch of an asset whose name contains one of the keywords (case-insensitive).
    public AssetMark? LastTouched(IReadOnlySet<EventType> types, IReadOnlyList<string> keywords)
    {
        AssetMark? found = null;
        foreach (var mark in Assets.Values)
        {
            if (types.Count > 0 && !(EventTypes.TryParse(mark.Type, out var type) && types.Contains(type)))
            {
                continue;
            }

            if (keywords.Any(k => mark.Name.Contains(k, StringComparison.OrdinalIgnoreCase)) && (found is null || mark.LastAt > found.LastAt))
            {
                found = mark;
            }
        }

        return found;
    }

    private void RecordAsset(string typeName, string name, DateTimeOffset at)
    {
        var key = string.Concat(typeName, ":", name);
        if (Assets.TryGetValue(key, out var mark))
        {
            Assets[key] = mark with { Count = mark.Count + 1, LastAt = at > mark.LastAt ? at : mark.LastAt };
            return;
        }

        if (Assets.Count >= AssetLimit)
        {
            var oldest = Assets.MinBy(a => a.Value.LastAt);
            if (oldest.Value.LastAt > at)
            {
                return;
            }

            Assets.Remove(oldest.Key);
        }

        Assets[key] = new AssetMark(typeName, name, 1, at);
    }

    /// The name a seller would recognise, else the URL's path (without query strings, which may carry PII).
    private static string? AssetName(InteractionData? interaction)
    {
        var name = interaction?.Name;
        if (string.IsNullOrWhiteSpace(name) && interaction?.Url is { } url)
        {
            name = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : null;
        }

        if (string.IsNullOrWhiteSpace(name) || name == "/")
        {
            return null;
        }

        name = name.Trim().ToLowerInvariant();
        return name.Length > MaxAssetName ? name[..MaxAssetName] : name;
    }
}
