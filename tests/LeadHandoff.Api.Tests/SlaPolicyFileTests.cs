using LeadHandoff.Api.Policy;
using LeadHandoff.Domain.Sla;

namespace LeadHandoff.Api.Tests;

public sealed class SlaPolicyFileTests
{
    private const string Head = """
        version: "sla-1"
        mql:
          minScore: 50
        """;

    [Fact]
    public void Parse_FullSlaSection_CarriesCalendarLadderAndTerms()
    {
        var result = PolicyFile.Parse(Head + """

            sla:
              calendar:
                timeZone: America/Sao_Paulo
                workingDays: [monday, tuesday, wednesday, thursday, friday, saturday]
                opens: "08:30"
                closes: "18:00"
                holidays: [2026-12-25]
              acceptWithinHours: 2
              firstContactWithinHours: 9.5
              attemptsPerDay: 3
              maxAttempts: 9
              giveUp: disqualify
              atRisk:
                - { level: escalation, at: 0.8 }
                - { level: nudge, at: 0.25 }
              monthlyMqlGoal: 250
              followUpTarget: 0.95
              reviewAfterMonths: 2
            """, "test.yaml", directory: null);

        Assert.Empty(result.Errors);
        var sla = result.Policy!.Sla;
        Assert.Equal("America/Sao_Paulo", sla.Calendar.TimeZone.Id);
        Assert.Contains(DayOfWeek.Saturday, sla.Calendar.WorkingDays);
        Assert.Equal((TimeSpan.FromHours(8.5), TimeSpan.FromHours(18)), (sla.Calendar.Opens, sla.Calendar.Closes));
        Assert.Contains(new DateOnly(2026, 12, 25), sla.Calendar.Holidays);
        Assert.Equal((TimeSpan.FromHours(2), TimeSpan.FromHours(9.5)), (sla.AcceptWithin, sla.FirstContactWithin));
        Assert.Equal((3, 9, GiveUpAction.Disqualify), (sla.AttemptsPerDay, sla.MaxAttempts, sla.GiveUp));
        Assert.Equal(["nudge", "escalation"], sla.AtRisk.Select(s => s.Level));
        Assert.Equal((250, 0.95m, 2), (sla.MonthlyMqlGoal, sla.FollowUpTarget, sla.ReviewAfterMonths));
    }

    [Theory]
    [InlineData("calendar: { timeZone: Mars/Olympus }", "sla.calendar.timeZone")]
    [InlineData("calendar: { workingDays: [funday] }", "sla.calendar.workingDays")]
    [InlineData("calendar: { opens: \"9am\" }", "sla.calendar.opens")]
    [InlineData("calendar: { opens: \"18:00\", closes: \"09:00\" }", "sla.calendar:")]
    [InlineData("calendar: { holidays: [25/12/2026] }", "sla.calendar.holidays")]
    [InlineData("atRisk: [{ level: late, at: 1.5 }]", "sla.atRisk[0]")]
    [InlineData("atRisk: [{ level: breach, at: 0.5 }]", "sla.atRisk")]
    [InlineData("attemptsPerDay: 0", "sla.attemptsPerDay")]
    [InlineData("followUpTarget: 0", "sla.followUpTarget")]
    [InlineData("reviewAfterMonths: 0", "sla.reviewAfterMonths")]
    [InlineData("giveUp: shrug", "sla.giveUp")]
    public void Parse_InvalidSlaSetting_IsRefusedNamingIt(string setting, string expected)
    {
        var result = PolicyFile.Parse(Head + "\nsla:\n  " + setting + "\n", "test.yaml", directory: null);

        Assert.Null(result.Policy);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}
