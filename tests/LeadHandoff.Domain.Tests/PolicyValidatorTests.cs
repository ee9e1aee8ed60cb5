using LeadHandoff.Domain.Qualification;
using LeadHandoff.Domain.Sla;

namespace LeadHandoff.Domain.Tests;

public sealed class PolicyValidatorTests
{
    [Fact]
    public void Validate_SensiblePolicy_HasNoErrors() => Assert.Empty(PolicyValidator.Validate(Policies.B2B()));

    public static TheoryData<QualificationPolicy, string> BrokenPolicies => new()
    {
        { Policies.B2B() with { Version = " " }, "version" },
        { Policies.B2B() with { Mql = new MqlGate(-1, []) }, "mql.minScore" },
        { Policies.B2B() with { Mql = new MqlGate(1, [Policies.Rule("x", "phone", ConditionOperator.Exists)]) }, "field 'phone'" },
        { Policies.B2B() with { Mql = new MqlGate(1, [Policies.Rule("x", "companySize", ConditionOperator.GreaterThan, "ten")]) }, "needs a number" },
        { Policies.B2B() with { Mql = new MqlGate(1, [Policies.Rule("x", "industry", ConditionOperator.EqualTo)]) }, "needs a value" },
        { Policies.B2B() with { Mql = new MqlGate(1, [Policies.Rule("dup", "industry", ConditionOperator.Exists), Policies.Rule("dup", "country", ConditionOperator.Exists)]) }, "unique" },
        { Policies.B2B() with { Blacklist = [Policies.Entry("empty", BlacklistMatch.Country)] }, "blacklist[empty]" },
        { Policies.B2B() with { Sla = Policies.Sla with { AcceptWithin = TimeSpan.Zero } }, "sla.acceptWithinHours" },
        { Policies.B2B() with { Sla = Policies.Sla with { MaxAttempts = 0 } }, "sla.maxAttempts" },
    };

    [Theory]
    [MemberData(nameof(BrokenPolicies))]
    public void Validate_BrokenPolicy_NamesWhatIsWrong(QualificationPolicy policy, string expected)
    {
        var errors = PolicyValidator.Validate(policy);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Deadlines_FromMqlTime_AddTheAgreedDurations()
    {
        var mqlAt = new DateTimeOffset(2026, 11, 20, 14, 0, 0, TimeSpan.Zero);
        var deadlines = SlaClock.Deadlines(Policies.Sla, mqlAt);

        Assert.Equal(mqlAt.AddHours(4), deadlines.AcceptBy);
        Assert.Equal(mqlAt.AddHours(24), deadlines.FirstContactBy);
    }
}

public sealed class PolicyLanguageValidatorTests
{
    private static readonly Scoring Grades = new([], new Dictionary<Events.EventType, double>(), 30, [new GradeBand("A", 50), new GradeBand("B", 0)]);

    public static TheoryData<QualificationPolicy, string> BrokenPolicies => new()
    {
        { Policies.B2B() with { Mql = Policies.B2B().Mql with { MinGrade = "Z" } }, "mql.minGrade: 'Z'" },
        { Policies.B2B() with { Mql = Policies.B2B().Mql with { Engagement = [Policies.Rule("e", new AnyOf([]))] } }, "mql.engagement[e]: 'any' needs" },
        { Policies.B2B() with { Mql = Policies.B2B().Mql with { Engagement = [Policies.Rule("e", new InteractionCount(new HashSet<Events.EventType>(), 0, 30))] } }, "atLeast" },
        { Policies.B2B() with { Mql = Policies.B2B().Mql with { Engagement = [Policies.Rule("e", new InteractionCount(new HashSet<Events.EventType>(), 1, 0))] } }, "withinDays" },
        { Policies.B2B() with { Mql = Policies.B2B().Mql with { Engagement = [Policies.Rule("e", new LastTouchWithin(0))] } }, "lastTouchWithinDays" },
        { Policies.B2B() with { Mql = Policies.B2B().Mql with { Engagement = [Policies.Rule("e", new Touched(new HashSet<Events.EventType>(), [], null))] } }, "keyword" },
        { Policies.B2B() with { Mql = Policies.B2B().Mql with { Fit = [new PolicyRule("r", "d", new FieldCondition("industry", ConditionOperator.Matches, ["x"]))] } }, "regular expression" },
        { Policies.B2B() with { Mql = Policies.B2B().Mql with { Fit = [Policies.Rule(Qualifier.MinScoreRuleId, "industry", ConditionOperator.Exists)] } }, "unique" },
        { Policies.B2B() with { Scoring = Grades with { Fit = [new PointsRule("p", "d", new FieldCondition("fitScore", ConditionOperator.Exists, []), 5)] } }, "computed by scoring" },
        { Policies.B2B() with { Scoring = Grades with { HalfLifeDays = 0 } }, "halfLifeDays" },
        { Policies.B2B() with { Scoring = Grades with { Grades = [new GradeBand("A", 10), new GradeBand("B", 20)] } }, "best first" },
        { Policies.B2B() with { Allow = [new AllowEntry("a", "r", new HashSet<string>(), new HashSet<Guid>(), new HashSet<string>())] }, "allow[a]: names no" },
        { Policies.B2B() with { Allow = [new AllowEntry("a", "r", new HashSet<string> { "x.io" }, new HashSet<Guid>(), new HashSet<string> { "nope" })] }, "'nope', which is not a blacklist entry" },
        { Policies.B2B() with { Blacklist = [new BlacklistEntry("c", "test", BlacklistMatch.Condition, new HashSet<string>(), "r")] }, "blacklist[c]: needs a condition" },
    };

    [Theory]
    [MemberData(nameof(BrokenPolicies))]
    public void Validate_BrokenRule_NamesTheRuleAndWhatIsWrong(QualificationPolicy policy, string expected)
    {
        var errors = PolicyValidator.Validate(policy);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}
