using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Interactions;
using LeadHandoff.Domain.Leads;
using LeadHandoff.Domain.Qualification;

namespace LeadHandoff.Domain.Tests;

public sealed class ScoringAndAllowListTests
{
    private static readonly DateTimeOffset Now = Policies.Now;

    private static readonly Scoring Points = new(
        [
            new PointsRule("exec", "Executive", new FieldCondition("jobTitle", ConditionOperator.Contains, ["VP"]), 40),
            new PointsRule("big", "Big company", new FieldCondition("companySize", ConditionOperator.GreaterOrEqual, ["100"]), 30),
        ],
        new Dictionary<EventType, double> { [EventType.FormSubmitted] = 20, [EventType.PageViewed] = 2 },
        30,
        [new GradeBand("A", 70), new GradeBand("B", 40), new GradeBand("C", 0)]);

    private static InteractionStats History(params (EventType Type, double DaysAgo)[] events)
    {
        var stats = new InteractionStats();
        var i = 0;
        foreach (var (type, daysAgo) in events)
        {
            stats.Record(new LeadEvent($"e{i++}", type, Now.AddDays(-daysAgo), Policies.NoContact, new InteractionData("web", "x", null, null, [])), "t");
        }

        return stats;
    }

    [Theory]
    [InlineData("VP Sales", 250, 70, "A")]
    [InlineData("VP Sales", 20, 40, "B")]
    [InlineData("Analyst", 250, 30, "C")]
    [InlineData(null, null, 0, "C")]
    public void Score_FitRules_AddUpToTheFitScoreAndItsGrade(string? title, int? size, int fit, string grade)
    {
        var card = Qualifier.Score(Points, Policies.Facts(Policies.Profile(jobTitle: title, size: size)));
        Assert.Equal(fit, card.Fit);
        Assert.Equal(grade, card.Grade);
    }

    [Theory]
    [InlineData(0, 20)]
    [InlineData(30, 10)]
    [InlineData(60, 5)]
    [InlineData(-2, 20)]
    public void Score_EngagementPoints_HalveEveryHalfLife(double daysAgo, int expected)
    {
        var card = Qualifier.Score(Points, Policies.Facts(Policies.Profile(), History((EventType.FormSubmitted, daysAgo))));
        Assert.Equal(expected, card.Engagement);
    }

    [Fact]
    public void Score_UnweightedTypes_CountNothing()
    {
        var card = Qualifier.Score(Points, Policies.Facts(Policies.Profile(), History((EventType.EmailOpened, 0), (EventType.PageViewed, 0))));
        Assert.Equal(2, card.Engagement);
    }

    [Theory]
    [InlineData("VP Sales", 250, "A", true)]
    [InlineData("VP Sales", 20, "B", true)]
    [InlineData("VP Sales", 20, "A", false)]
    [InlineData("Analyst", 20, "B", false)]
    public void Evaluate_MinGrade_IsThatGradeOrBetter(string title, int size, string minGrade, bool qualified)
    {
        var policy = Policies.B2B() with { Scoring = Points, Mql = Policies.B2B().Mql with { MinGrade = minGrade } };
        var decision = Qualifier.Evaluate(policy, Policies.Facts(Policies.Profile(jobTitle: title, size: size)));
        Assert.Equal(qualified, decision is Qualified);
        Assert.Contains(decision.Rules, r => r.RuleId == Qualifier.MinGradeRuleId);
    }

    [Theory]
    [InlineData(0, 20, true)]
    [InlineData(31, 20, false)]
    public void Evaluate_MinEngagementScore_DecaysOverTime(double daysAgo, int min, bool qualified)
    {
        var policy = Policies.B2B() with { Scoring = Points, Mql = Policies.B2B().Mql with { MinEngagementScore = min } };
        var decision = Qualifier.Evaluate(policy, Policies.Facts(Policies.Profile(), History((EventType.FormSubmitted, daysAgo))));
        Assert.Equal(qualified, decision is Qualified);
        Assert.Equal(decision.Scores.Engagement >= min, qualified);
    }

    [Fact]
    public void Evaluate_RulesReadingScores_SeeTheComputedScores()
    {
        var policy = Policies.B2B() with
        {
            Scoring = Points,
            Mql = Policies.B2B().Mql with { Engagement = [Policies.Rule("hot", "engagementScore", ConditionOperator.GreaterOrEqual, "20")] },
        };
        var decision = Qualifier.Evaluate(policy, Policies.Facts(Policies.Profile(), History((EventType.FormSubmitted, 0))));
        Assert.IsType<Qualified>(decision);
        Assert.Equal("engagementScore=20", decision.Rules.Single(r => r.RuleId == "hot").Observed);
    }

    private static readonly Guid Partner = Guid.Parse("01a2057c-f9ba-738c-92b1-3dbd5baa2547");

    public static TheoryData<string, AllowEntry, string, Guid?, bool> AllowCases => new()
    {
        { "domain allowed for every entry", Allow(domains: ["gmail.com"]), "founder@gmail.com", null, true },
        { "subdomain of an allowed domain", Allow(domains: ["gmail.com"]), "founder@eu.gmail.com", null, true },
        { "domain allowed for another entry only", Allow(domains: ["gmail.com"], overrides: ["role"]), "founder@gmail.com", null, false },
        { "lead allowed by id", Allow(leads: [Partner]), "founder@gmail.com", Partner, true },
        { "another lead", Allow(leads: [Partner]), "founder@gmail.com", Guid.Empty, false },
        { "unrelated domain", Allow(domains: ["acme.io"]), "founder@gmail.com", null, false },
    };

    [Theory]
    [MemberData(nameof(AllowCases))]
    public void Evaluate_AllowList_OverridesOnlyTheNamedEntriesForTheNamedDomainOrLead(string name, AllowEntry allow, string email, Guid? leadId, bool allowed)
    {
        var policy = Policies.B2B() with { Allow = [allow] };
        var decision = Qualifier.Evaluate(policy, Policies.Facts(Policies.Profile(email: email)) with { LeadId = leadId });

        Assert.True(allowed == decision is Qualified, name);
        if (allowed)
        {
            var verdict = Assert.Single(decision.Rules, r => r.RuleId == "partner");
            Assert.Equal("overrides free-mail (" + EmailAddress.Domain(email) + ")", verdict.Observed);
        }
    }

    private static AllowEntry Allow(string[]? domains = null, Guid[]? leads = null, string[]? overrides = null) => new(
        "partner", "Partner staff", (domains ?? []).ToHashSet(), (leads ?? []).ToHashSet(), (overrides ?? []).ToHashSet());

    [Fact]
    public void Evaluate_Unsubscribed_IsDisqualified()
    {
        var policy = Policies.B2B() with { Blacklist = [new BlacklistEntry("unsub", "unsubscribed", BlacklistMatch.Unsubscribed, new HashSet<string>(), "Unsubscribed")] };
        var decision = Qualifier.Evaluate(policy, Policies.Facts(Policies.Profile(), History((EventType.Unsubscribed, 1))));
        Assert.Equal("unsub", Assert.Single(Assert.IsType<Disqualified>(decision).Rules).RuleId);
    }

    [Fact]
    public void Evaluate_ConditionEntry_DisqualifiesNamingWhatItSaw()
    {
        var entry = new BlacklistEntry("test-names", "test", BlacklistMatch.Condition, new HashSet<string>(), "Test record")
        {
            When = FieldCondition.Regex("company", "^test", out _),
        };
        var decision = Qualifier.Evaluate(Policies.B2B() with { Blacklist = [entry] }, Policies.Facts(Policies.Profile(company: "Test Corp")));
        Assert.Equal("company=Test Corp", Assert.Single(Assert.IsType<Disqualified>(decision).Rules).Observed);
    }

    [Theory]
    [InlineData(LeadStage.Lead, 0, true)]
    [InlineData(LeadStage.Nurture, 0, false)]
    [InlineData(LeadStage.Nurture, 1, true)]
    public void Next_RecycledLead_MustAlsoMeetTheRequalifyRules(LeadStage stage, int recentForms, bool handOff)
    {
        var policy = Policies.B2B() with
        {
            Requalify = [Policies.Rule("fresh", new InteractionCount(new HashSet<EventType> { EventType.FormSubmitted }, 1, 30))],
        };
        var stats = recentForms == 0 ? History((EventType.FormSubmitted, 90)) : History((EventType.FormSubmitted, 90), (EventType.FormSubmitted, 2));

        var step = QualificationStep.Next(policy, stage, Policies.Facts(Policies.Profile(), stats));

        Assert.Equal(handOff, step.HandOff);
        Assert.Equal(stage == LeadStage.Nurture, step.Decision!.Rules.Any(r => r.RuleId == "fresh"));
    }
}
