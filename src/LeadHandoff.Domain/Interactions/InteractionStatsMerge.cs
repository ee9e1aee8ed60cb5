namespace LeadHandoff.Domain.Interactions;

/// Folding the interaction summary of one lead record into another's when two records prove to be one person:
/// counts add up, interests combine their decayed weights, engagement day buckets and touched assets join, and the
/// bounds each summary keeps (recent touches, interests, assets) still hold afterwards.
public static class InteractionStatsMerge
{
    public static void Absorb(this InteractionStats into, InteractionStats from)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(from);

        into.Total += from.Total;
        foreach (var (type, count) in from.CountsByType)
        {
            into.CountsByType[type] = into.CountsByType.GetValueOrDefault(type) + count;
        }

        if (from.FirstTouch is { } first && (into.FirstTouch is null || first.OccurredAt < into.FirstTouch.OccurredAt))
        {
            into.FirstTouch = first;
        }

        if (from.LastTouch is { } last && (into.LastTouch is null || last.OccurredAt > into.LastTouch.OccurredAt))
        {
            into.LastTouch = last;
        }

        var recent = into.Recent.Concat(from.Recent)
            .OrderByDescending(t => t.OccurredAt)
            .Take(InteractionStats.RecentLimit)
            .ToList();
        into.Recent.Clear();
        into.Recent.AddRange(recent);

        AbsorbInterests(into.Interests, from.Interests);
        AbsorbEngagement(into.Engagement, from.Engagement);
    }

    private static void AbsorbInterests(Dictionary<string, InterestMark> into, Dictionary<string, InterestMark> from)
    {
        foreach (var (topic, mark) in from)
        {
            if (!into.TryGetValue(topic, out var existing))
            {
                into[topic] = mark;
                continue;
            }

            // Both weights are brought to the later of the two reference times before they are added.
            var asOf = existing.AsOf >= mark.AsOf ? existing.AsOf : mark.AsOf;
            into[topic] = new InterestMark(
                existing.Count + mark.Count,
                existing.WeightAt(asOf) + mark.WeightAt(asOf),
                asOf,
                existing.LastAt >= mark.LastAt ? existing.LastAt : mark.LastAt);
        }

        if (into.Count > InterestMark.Limit)
        {
            var asOf = into.Values.Max(m => m.AsOf);
            foreach (var weakest in into.OrderBy(i => i.Value.WeightAt(asOf)).Take(into.Count - InterestMark.Limit).Select(i => i.Key).ToList())
            {
                into.Remove(weakest);
            }
        }
    }

    private static void AbsorbEngagement(EngagementHistory into, EngagementHistory from)
    {
        foreach (var (type, days) in from.Days)
        {
            if (!into.Days.TryGetValue(type, out var target))
            {
                target = [];
                into.Days[type] = target;
            }

            foreach (var (day, count) in days)
            {
                target[day] = target.GetValueOrDefault(day) + count;
            }
        }

        foreach (var (key, mark) in from.Assets)
        {
            into.Assets[key] = into.Assets.TryGetValue(key, out var existing)
                ? existing with { Count = existing.Count + mark.Count, LastAt = existing.LastAt >= mark.LastAt ? existing.LastAt : mark.LastAt }
                : mark;
        }

        if (into.Assets.Count > EngagementHistory.AssetLimit)
        {
            foreach (var oldest in into.Assets.OrderBy(a => a.Value.LastAt).Take(into.Assets.Count - EngagementHistory.AssetLimit).Select(a => a.Key).ToList())
            {
                into.Assets.Remove(oldest);
            }
        }
    }
}
