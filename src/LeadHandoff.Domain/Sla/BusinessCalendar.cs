namespace LeadHandoff.Domain.Sla;

/// When sales works: a time zone, working days, daily hours (local wall clock) and holidays. Business time only
/// runs inside those hours, so "4 business hours" from Friday 16:00 ends Monday 12:00. Arithmetic is done on
/// instants of each day's window, so a DST change shortens or lengthens nights, never a working day.
public sealed class BusinessCalendar
{
    // Ten years without a single working day is a calendar error, not a deadline.
    private const int MaxDays = 3660;

    public BusinessCalendar(TimeZoneInfo timeZone, IEnumerable<DayOfWeek> workingDays, TimeSpan opens, TimeSpan closes, IEnumerable<DateOnly> holidays)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        TimeZone = timeZone;
        WorkingDays = workingDays.ToHashSet();
        Opens = opens;
        Closes = closes;
        Holidays = holidays.ToHashSet();
    }

    /// Always open in UTC: business time is elapsed time.
    public static BusinessCalendar AlwaysOpen { get; } = new(TimeZoneInfo.Utc, Enum.GetValues<DayOfWeek>(), TimeSpan.Zero, TimeSpan.FromDays(1), []);

    public TimeZoneInfo TimeZone { get; }

    public IReadOnlySet<DayOfWeek> WorkingDays { get; }

    public TimeSpan Opens { get; }

    public TimeSpan Closes { get; }

    public IReadOnlySet<DateOnly> Holidays { get; }

    public TimeSpan HoursPerDay => Closes - Opens;

    public bool IsValid => WorkingDays.Count > 0 && Opens >= TimeSpan.Zero && Closes <= TimeSpan.FromDays(1) && Opens < Closes;

    /// The instant at which <paramref name="businessTime"/> of working time has passed since <paramref name="start"/>.
    /// A start outside working hours counts from the next opening.
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan businessTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(businessTime, TimeSpan.Zero);
        var remaining = businessTime;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, TimeZone).DateTime);
        for (var i = 0; i < MaxDays; i++, day = day.AddDays(1))
        {
            if (Window(day) is not var (opens, closes))
            {
                continue;
            }

            var from = start > opens ? start : opens;
            if (from >= closes)
            {
                continue;
            }

            var available = closes - from;
            if (remaining <= available)
            {
                return (from + remaining).ToOffset(start.Offset);
            }

            remaining -= available;
        }

        throw new InvalidOperationException("The business calendar has no working time.");
    }

    /// Working time between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).
    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, TimeZone).DateTime);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, TimeZone).DateTime);
        for (; day <= last; day = day.AddDays(1))
        {
            if (Window(day) is var (opens, closes))
            {
                var start = from > opens ? from : opens;
                var end = to < closes ? to : closes;
                if (end > start)
                {
                    total += end - start;
                }
            }
        }

        return total;
    }

    /// The working window of one local day, as instants; null on a weekend day or a holiday.
    public (DateTimeOffset Opens, DateTimeOffset Closes)? Window(DateOnly day)
    {
        if (!WorkingDays.Contains(day.DayOfWeek) || Holidays.Contains(day))
        {
            return null;
        }

        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return (Instant(midnight + Opens), Instant(midnight + Closes));
    }

    private DateTimeOffset Instant(DateTime local)
    {
        // A wall-clock time skipped by a spring-forward change does not exist; the day's window starts when the
        // clock shows it again. An ambiguous (repeated) time takes the standard offset, the later of the two.
        if (TimeZone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }
}
