using System.Globalization;
using System.Text;
using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Leads;

namespace LeadHandoff.Domain.Interactions;

/// First- and last-touch attribution: where the lead came from and what brought it back.
public sealed record Attribution(string? FirstSource, string? FirstCampaign, string? LastSource, string? LastCampaign)
{
    public static Attribution Of(InteractionStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new Attribution(stats.FirstTouch?.Source, stats.FirstTouch?.Campaign, stats.LastTouch?.Source, stats.LastTouch?.Campaign);
    }
}

/// A paragraph a seller reads in ten seconds before the first call: who, how engaged, what about, why now.
/// Built from the running summary only, so it costs the same for a lead with ten interactions or ten thousand.
public static class SellerSummary
{
    public const int InterestCount = 3;

    public static string Write(LeadProfile profile, InteractionStats stats, DateTimeOffset asOf, string? grade = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(stats);
        var text = new StringBuilder();
        var name = string.Join(' ', new[] { profile.FirstName, profile.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        text.Append(name.Length > 0 ? name : "This lead");
        if (profile.JobTitle is { } title)
        {
            text.Append(", ").Append(title);
        }

        if (profile.Company is { } company)
        {
            text.Append(" at ").Append(company);
            var firmographics = new[]
            {
                profile.CompanySize is { } size ? string.Create(CultureInfo.InvariantCulture, $"{size} employees") : null,
                profile.Industry,
                profile.Country,
            }.OfType<string>().ToList();
            if (firmographics.Count > 0)
            {
                text.Append(" (").Append(string.Join(", ", firmographics)).Append(')');
            }
        }

        text.Append('.');
        var interactions = stats.CountsByType.Where(c => EventTypes.TryParse(c.Key, out var t) && InteractionStats.IsInteraction(t)).Sum(c => c.Value);
        if (stats.FirstTouch is { } first && stats.LastTouch is { } last)
        {
            text.Append(CultureInfo.InvariantCulture, $" {interactions} interaction{(interactions == 1 ? string.Empty : "s")} since {first.OccurredAt:d MMM yyyy}");
            if (first.Campaign is { } campaign)
            {
                text.Append(" (first via ").Append(campaign).Append(')');
            }

            text.Append("; last active ").Append(Ago(asOf - last.OccurredAt));
            if (last.Name is { } touched)
            {
                text.Append(" (").Append(Describe(last.Type)).Append(' ').Append(touched).Append(')');
            }

            text.Append('.');
        }
        else
        {
            text.Append(" No interactions recorded yet.");
        }

        var interests = stats.TopInterests(InterestCount, asOf);
        if (interests.Count > 0)
        {
            text.Append(" Most interested in ").Append(Join(interests.Select(i => i.Topic).ToList())).Append('.');
        }

        var strongest = new[] { EventType.MeetingBooked, EventType.FormSubmitted, EventType.WebinarAttended, EventType.ContentDownloaded }
            .Select(t => (Type: t, Count: stats.CountOf(t)))
            .Where(t => t.Count > 0)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Count} {Plural(t.Type, t.Count)}"))
            .ToList();
        if (strongest.Count > 0)
        {
            text.Append(" Signals: ").Append(Join(strongest)).Append('.');
        }

        if (grade is not null)
        {
            text.Append(" Fit grade ").Append(grade).Append('.');
        }

        return text.ToString();
    }

    private static string Ago(TimeSpan age) => age.TotalDays switch
    {
        < 1 => "today",
        < 2 => "yesterday",
        var days => string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(days)} days ago"),
    };

    private static string Describe(EventType type) => type switch
    {
        EventType.FormSubmitted => "submitted",
        EventType.EmailOpened => "opened",
        EventType.EmailClicked => "clicked",
        EventType.PageViewed => "viewed",
        EventType.ContentDownloaded => "downloaded",
        EventType.WebinarAttended => "attended",
        EventType.MeetingBooked => "booked",
        _ => "touched",
    };

    private static string Plural(EventType type, int count) => (type, count == 1) switch
    {
        (EventType.MeetingBooked, true) => "meeting booked",
        (EventType.MeetingBooked, false) => "meetings booked",
        (EventType.FormSubmitted, true) => "form submitted",
        (EventType.FormSubmitted, false) => "forms submitted",
        (EventType.WebinarAttended, true) => "webinar attended",
        (EventType.WebinarAttended, false) => "webinars attended",
        (_, true) => "content download",
        _ => "content downloads",
    };

    private static string Join(List<string> items) => items.Count switch
    {
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };
}
