using System.Globalization;
using LeadHandoff.Domain.Sla;
using LeadHandoff.Domain.Stages;

namespace LeadHandoff.Domain.Tests;

public sealed class BusinessCalendarTests
{
    // New York, Monday to Friday 09:00–17:00, Thanksgiving and Christmas 2026 off. DST ends 2026-11-01 and starts
    // 2026-03-08, both on a Sunday.
    private static readonly BusinessCalendar NewYork = new(
        TimeZoneInfo.FindSystemTimeZoneById("America/New_York"),
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
        TimeSpan.FromHours(9),
        TimeSpan.FromHours(17),
        [new DateOnly(2026, 11, 26), new DateOnly(2026, 12, 25)]);

    [Theory]
    [InlineData("2026-11-24T10:00:00-05:00", 4, "2026-11-24T14:00:00-05:00")] // inside hours
    [InlineData("2026-11-24T15:00:00-05:00", 4, "2026-11-25T11:00:00-05:00")] // across a night
    [InlineData("2026-11-24T06:00:00-05:00", 4, "2026-11-24T13:00:00-05:00")] // starts before opening
    [InlineData("2026-11-24T20:00:00-05:00", 4, "2026-11-25T13:00:00-05:00")] // starts after closing
    [InlineData("2026-11-20T16:00:00-05:00", 4, "2026-11-23T12:00:00-05:00")] // across a weekend
    [InlineData("2026-11-21T10:00:00-05:00", 8, "2026-11-23T17:00:00-05:00")] // starts on a Saturday, ends at closing
    [InlineData("2026-11-25T16:00:00-05:00", 4, "2026-11-27T12:00:00-05:00")] // across Thanksgiving
    [InlineData("2026-12-24T15:00:00-05:00", 4, "2026-12-28T11:00:00-05:00")] // across Christmas and a weekend
    [InlineData("2026-10-30T16:00:00-04:00", 4, "2026-11-02T12:00:00-05:00")] // across the end of DST
    [InlineData("2026-03-06T15:00:00-05:00", 4, "2026-03-09T11:00:00-04:00")] // across the start of DST
    [InlineData("2026-11-23T10:00:00-05:00", 8, "2026-11-24T10:00:00-05:00")] // one business day
    [InlineData("2026-11-23T10:00:00-05:00", 0, "2026-11-23T10:00:00-05:00")] // nothing to add
    public void Add_BusinessHours_LandsOnTheExpectedInstant(string start, double hours, string expected)
    {
        var deadline = NewYork.Add(DateTimeOffset.Parse(start, CultureInfo.InvariantCulture), TimeSpan.FromHours(hours));

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), deadline);
    }

    [Theory]
    [InlineData("2026-10-30T16:00:00-04:00", "2026-11-02T12:00:00-05:00", 4)]
    [InlineData("2026-11-24T20:00:00-05:00", "2026-11-25T08:00:00-05:00", 0)]
    [InlineData("2026-11-25T16:00:00-05:00", "2026-11-27T12:00:00-05:00", 4)]
    [InlineData("2026-11-23T09:00:00-05:00", "2026-11-30T09:00:00-05:00", 32)]
    [InlineData("2026-11-24T12:00:00-05:00", "2026-11-24T10:00:00-05:00", 0)]
    public void Between_TwoInstants_CountsOnlyWorkingTime(string from, string to, double expectedHours)
    {
        var elapsed = NewYork.Between(DateTimeOffset.Parse(from, CultureInfo.InvariantCulture), DateTimeOffset.Parse(to, CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.FromHours(expectedHours), elapsed);
    }

    [Fact]
    public void Add_RoundTheClockCalendarOnTheLongDstDay_CountsTwentyFiveHours()
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var always = new BusinessCalendar(tz, Enum.GetValues<DayOfWeek>(), TimeSpan.Zero, TimeSpan.FromDays(1), []);
        var midnight = DateTimeOffset.Parse("2026-11-01T00:00:00-04:00", CultureInfo.InvariantCulture);

        var next = always.Add(midnight, TimeSpan.FromHours(25));

        Assert.Equal(DateTimeOffset.Parse("2026-11-02T00:00:00-05:00", CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void Deadlines_PolicyTerms_AreStampedInBusinessTime()
    {
        var terms = Policies.Sla with { Calendar = NewYork, FirstContactWithin = TimeSpan.FromHours(8) };
        var mqlAt = DateTimeOffset.Parse("2026-11-20T16:00:00-05:00", CultureInfo.InvariantCulture);

        var deadlines = SlaClock.Deadlines(terms, mqlAt);

        Assert.Equal(DateTimeOffset.Parse("2026-11-23T12:00:00-05:00", CultureInfo.InvariantCulture), deadlines.AcceptBy);
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T16:00:00-05:00", CultureInfo.InvariantCulture), deadlines.FirstContactBy);
    }

    public static TheoryData<string, HandoffState, int, string[], bool, string?> WatchCases() => new()
    {
        // MQL Friday 16:00; accept by Monday 12:00 (4 h), first contact by Monday 16:00 (8 h).
        { "2026-11-20T16:30:00-05:00", HandoffState.AwaitingAcceptance, 0, [], false, "2026-11-23T10:00:00-05:00" },
        { "2026-11-23T10:00:00-05:00", HandoffState.AwaitingAcceptance, 0, ["accept:reminder"], false, "2026-11-23T11:36:00-05:00" },
        { "2026-11-23T11:36:00-05:00", HandoffState.AwaitingAcceptance, 0, ["accept:reminder", "accept:escalation"], false, "2026-11-23T12:00:00-05:00" },
        { "2026-11-23T12:00:00-05:00", HandoffState.AwaitingAcceptance, 0, ["accept:breach", "firstContact:reminder"], false, "2026-11-23T15:12:00-05:00" },
        { "2026-11-23T12:00:00-05:00", HandoffState.Accepted, 1, ["firstContact:reminder"], false, "2026-11-23T15:12:00-05:00" },
        { "2026-11-23T16:00:00-05:00", HandoffState.Accepted, 1, ["firstContact:breach"], false, "2026-11-27T16:00:00-05:00" },
        { "2026-11-23T16:00:00-05:00", HandoffState.Accepted, 6, ["firstContact:breach"], true, null },
        { "2026-11-27T16:00:00-05:00", HandoffState.Accepted, 2, ["firstContact:breach"], true, null },
        { "2026-11-23T16:00:00-05:00", HandoffState.Contacted, 1, [], false, null },
        { "2026-11-23T16:00:00-05:00", HandoffState.Won, 1, [], false, null },
    };

    [Theory]
    [MemberData(nameof(WatchCases))]
    public void Check_ClockAcrossTheLadder_RaisesDueAlertsGiveUpAndNextCheck(
        string now, HandoffState state, int attempts, string[] expected, bool giveUp, string? nextCheck)
    {
        // Six attempts at two a day take three working days after the first-contact deadline (Thanksgiving skipped).
        var terms = Policies.Sla with { Calendar = NewYork, FirstContactWithin = TimeSpan.FromHours(8), AttemptsPerDay = 2 };
        var mqlAt = DateTimeOffset.Parse("2026-11-20T16:00:00-05:00", CultureInfo.InvariantCulture);

        var check = SlaWatch.Check(terms, new HandoffProgress(state, attempts), mqlAt, SlaClock.Deadlines(terms, mqlAt), DateTimeOffset.Parse(now, CultureInfo.InvariantCulture));

        Assert.Equal(expected, check.Due.Select(a => $"{SlaWatch.Name(a.Deadline)}:{a.Kind}"));
        Assert.Equal(giveUp, check.GiveUp);
        Assert.Equal(nextCheck is null ? null : DateTimeOffset.Parse(nextCheck, CultureInfo.InvariantCulture), check.NextCheckAt);
    }
}
