using System.Globalization;
using LeadHandoff.Domain.Sla;

namespace LeadHandoff.Api.Policy;

/// The <c>sla:</c> section of the policy file: sales' commitments and the calendar they are counted on.
internal static class SlaPolicyParser
{
    private static readonly string[] TimeFormats = ["h\\:mm", "hh\\:mm"];

    public static SlaTerms Parse(SlaPolicyDocument? document, List<string> errors)
    {
        var sla = document ?? new SlaPolicyDocument();
        if (!Enum.TryParse<GiveUpAction>(sla.GiveUp, ignoreCase: true, out var giveUp))
        {
            errors.Add($"sla.giveUp: '{sla.GiveUp}' is not one of recycle, disqualify.");
        }

        var ladder = new List<AtRiskStep>();
        foreach (var (step, i) in (sla.AtRisk ?? []).Select((s, i) => (s, i)))
        {
            if (string.IsNullOrWhiteSpace(step.Level) || step.At is not (> 0 and < 1))
            {
                errors.Add($"sla.atRisk[{i}]: needs a level and an 'at' fraction of the allowed time in (0, 1), e.g. 0.5.");
                continue;
            }

            ladder.Add(new AtRiskStep(step.Level, step.At));
        }

        if (ladder.Select(s => s.Level).Distinct(StringComparer.Ordinal).Count() != ladder.Count || ladder.Any(s => s.Level == SlaWatch.Breach))
        {
            errors.Add($"sla.atRisk: levels must be distinct and not '{SlaWatch.Breach}'.");
        }

        if (sla.AttemptsPerDay < 1)
        {
            errors.Add("sla.attemptsPerDay: must be at least 1.");
        }

        if (sla.ReviewAfterMonths < 1)
        {
            errors.Add("sla.reviewAfterMonths: must be at least 1.");
        }

        if (sla.FollowUpTarget is not (> 0 and <= 1))
        {
            errors.Add("sla.followUpTarget: must be a share in (0, 1], e.g. 0.9.");
        }

        return new SlaTerms(
            TimeSpan.FromHours(sla.AcceptWithinHours),
            TimeSpan.FromHours(sla.FirstContactWithinHours),
            sla.MaxAttempts,
            giveUp,
            sla.MonthlyMqlGoal)
        {
            Calendar = Calendar(sla.Calendar, errors),
            AttemptsPerDay = Math.Max(1, sla.AttemptsPerDay),
            AtRisk = sla.AtRisk is null ? SlaTerms.DefaultLadder : ladder.OrderBy(s => s.Fraction).ToList(),
            ReviewAfterMonths = sla.ReviewAfterMonths,
            FollowUpTarget = sla.FollowUpTarget,
        };
    }

    private static BusinessCalendar Calendar(CalendarDocument? document, List<string> errors)
    {
        if (document is null)
        {
            return BusinessCalendar.AlwaysOpen;
        }

        TimeZoneInfo zone = TimeZoneInfo.Utc;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(document.TimeZone ?? "UTC");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            errors.Add($"sla.calendar.timeZone: '{document.TimeZone}' is not a known IANA time zone (e.g. America/New_York).");
        }

        var days = new List<DayOfWeek>();
        foreach (var day in document.WorkingDays ?? ["monday", "tuesday", "wednesday", "thursday", "friday"])
        {
            if (Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                days.Add(parsed);
            }
            else
            {
                errors.Add($"sla.calendar.workingDays: '{day}' is not a day of the week.");
            }
        }

        var opens = Time(document.Opens ?? "09:00", "sla.calendar.opens", errors);
        var closes = document.Closes is "24:00" ? TimeSpan.FromDays(1) : Time(document.Closes ?? "17:00", "sla.calendar.closes", errors);
        var holidays = new List<DateOnly>();
        foreach (var holiday in document.Holidays ?? [])
        {
            if (DateOnly.TryParseExact(holiday, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                holidays.Add(date);
            }
            else
            {
                errors.Add($"sla.calendar.holidays: '{holiday}' is not a date (yyyy-MM-dd).");
            }
        }

        var calendar = new BusinessCalendar(zone, days, opens, closes, holidays);
        if (!calendar.IsValid)
        {
            errors.Add("sla.calendar: needs at least one working day and opening hours with opens before closes.");
        }

        return calendar.IsValid ? calendar : BusinessCalendar.AlwaysOpen;
    }

    private static TimeSpan Time(string text, string field, List<string> errors)
    {
        if (TimeSpan.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, out var time) && time < TimeSpan.FromDays(1))
        {
            return time;
        }

        errors.Add($"{field}: '{text}' is not a time of day (HH:mm).");
        return TimeSpan.Zero;
    }
}

// YAML shape of the section; kept apart from the Domain's records so the file format can evolve on its own.
internal sealed class SlaPolicyDocument
{
    /// Business hours on <see cref="Calendar"/>.
    public double AcceptWithinHours { get; set; } = 4;

    public double FirstContactWithinHours { get; set; } = 24;

    public int MaxAttempts { get; set; } = 6;

    public int AttemptsPerDay { get; set; } = 2;

    public string? GiveUp { get; set; } = "recycle";

    public int MonthlyMqlGoal { get; set; } = 100;

    public decimal FollowUpTarget { get; set; } = 0.9m;

    public int ReviewAfterMonths { get; set; } = 3;

    public List<AtRiskDocument>? AtRisk { get; set; }

    public CalendarDocument? Calendar { get; set; }
}

internal sealed class AtRiskDocument
{
    public string? Level { get; set; }

    public decimal At { get; set; }
}

internal sealed class CalendarDocument
{
    public string? TimeZone { get; set; }

    public List<string>? WorkingDays { get; set; }

    public string? Opens { get; set; }

    public string? Closes { get; set; }

    public List<string>? Holidays { get; set; }
}
