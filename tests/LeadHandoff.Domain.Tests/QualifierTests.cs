using LeadHandoff.Domain.Leads;
using LeadHandoff.Domain.Qualification;

namespace LeadHandoff.Domain.Tests;

public sealed class QualifierTests
{
    [Theory]
    [InlineData("jane@gmail.com", "free-mail", "gmail.com")]
    [InlineData("jane@mail.gmail.com", "free-mail", "mail.gmail.com")]
    [InlineData("JANE@GMAIL.COM", "free-mail", "gmail.com")]
    [InlineData("info@acme.io", "role", "info")]
    [InlineData("sales@acme.io", "role", "sales")]
    public void Evaluate_BlacklistedEmail_IsDisqualifiedNamingTheEntryAndTheValue(string email, string ruleId, string observed)
    {
        var profile = Policies.Profile(email: EmailAddress.Normalize(email));

        var decision = Qualifier.Evaluate(Policies.B2B(), Policies.Facts(profile));

        var disqualified = Assert.IsType<Disqualified>(decision);
        var hit = Assert.Single(disqualified.Rules);
        Assert.Equal(ruleId, hit.RuleId);
        Assert.Equal(observed, hit.Observed);
        Assert.Equal("v-test", decision.PolicyVersion);
    }

    [Theory]
    [InlineData("Student", true)]
    [InlineData("PhD student, Biology", true)]
    [InlineData("Summer Intern", true)]
    [InlineData("Internal Communications Lead", false)]
    [InlineData("Studentship coordinator", false)]
    public void Evaluate_JobTitleKeyword_MatchesWholeWordsOnly(string title, bool blacklisted)
    {
        var decision = Qualifier.Evaluate(Policies.B2B(), Policies.Facts(Policies.Profile(jobTitle: title)));
        Assert.Equal(blacklisted, decision is Disqualified);
    }

    [Theory]
    [InlineData("KP", true)]
    [InlineData("kp", true)]
    [InlineData(" IR ", true)]
    [InlineData("US", false)]
    [InlineData(null, false)]
    public void Evaluate_EmbargoedCountry_IsDisqualified(string? country, bool blacklisted)
    {
        var decision = Qualifier.Evaluate(Policies.B2B(), Policies.Facts(Policies.Profile(country: country)));
        Assert.Equal(blacklisted, decision is Disqualified);
    }

    [Theory]
    [InlineData(50, true)]
    [InlineData(49, false)]
    [InlineData(null, false)]
    public void Evaluate_ScoreAtTheThreshold_Qualifies(int? score, bool qualified)
    {
        var decision = Qualifier.Evaluate(Policies.B2B(), Policies.Facts(Policies.Profile(score: score)));
        Assert.Equal(qualified ? DecisionOutcome.Qualified : DecisionOutcome.NotYet, decision.Outcome);
    }

    [Fact]
    public void Evaluate_FitConditionsUnmet_IsNotYetNamingEachUnmetRule()
    {
        var decision = Qualifier.Evaluate(Policies.B2B(), Policies.Facts(Policies.Profile(company: null, size: 5)));

        var notYet = Assert.IsType<NotYet>(decision);
        Assert.Equal(["has-company", "size"], notYet.Unmet.Select(r => r.RuleId).ToArray());
        Assert.Equal("companySize=5", notYet.Unmet.Single(r => r.RuleId == "size").Observed);
    }

    [Fact]
    public void Evaluate_BlacklistedButHighScore_BlacklistWins()
    {
        var decision = Qualifier.Evaluate(Policies.B2B(), Policies.Facts(Policies.Profile(email: "boss@gmail.com", score: 100)));
        Assert.IsType<Disqualified>(decision);
    }

    [Fact]
    public void Evaluate_NoMinScore_QualifiesOnFitAlone()
    {
        var decision = Qualifier.Evaluate(Policies.B2B(minScore: null), Policies.Facts(Policies.Profile(score: null)));
        Assert.IsType<Qualified>(decision);
        Assert.DoesNotContain(decision.Rules, r => r.RuleId == Qualifier.MinScoreRuleId);
    }

    [Theory]
    [InlineData(ConditionOperator.EqualTo, "Software", "software", true)]
    [InlineData(ConditionOperator.EqualTo, "Software", "Retail", false)]
    [InlineData(ConditionOperator.EqualTo, "Software", null, false)]
    [InlineData(ConditionOperator.NotEqualTo, "Software", "Retail", true)]
    [InlineData(ConditionOperator.NotEqualTo, "Software", null, true)]
    [InlineData(ConditionOperator.In, "Software|SaaS", "saas", true)]
    [InlineData(ConditionOperator.In, "Software|SaaS", "Retail", false)]
    [InlineData(ConditionOperator.NotIn, "Software|SaaS", "Retail", true)]
    [InlineData(ConditionOperator.NotIn, "Software|SaaS", "SaaS", false)]
    [InlineData(ConditionOperator.Contains, "soft", "Enterprise Software", true)]
    [InlineData(ConditionOperator.StartsWith, "ent", "Enterprise Software", true)]
    [InlineData(ConditionOperator.EndsWith, "ware", "Enterprise Software", true)]
    [InlineData(ConditionOperator.EndsWith, "ware", "Hardwares", false)]
    [InlineData(ConditionOperator.Exists, "", "x", true)]
    [InlineData(ConditionOperator.Exists, "", null, false)]
    [InlineData(ConditionOperator.Missing, "", null, true)]
    [InlineData(ConditionOperator.GreaterThan, "10", "11", true)]
    [InlineData(ConditionOperator.GreaterThan, "10", "10", false)]
    [InlineData(ConditionOperator.GreaterOrEqual, "10", "10", true)]
    [InlineData(ConditionOperator.LessThan, "10", "9.5", true)]
    [InlineData(ConditionOperator.LessThan, "10", null, false)]
    [InlineData(ConditionOperator.LessOrEqual, "10", "10", true)]
    [InlineData(ConditionOperator.LessOrEqual, "10", "many", false)]
    [InlineData(ConditionOperator.GreaterOrEqual, "10", "many", false)]
    public void Holds_EachOperator_FollowsItsTable(ConditionOperator op, string values, string? value, bool expected)
    {
        var condition = new FieldCondition("industry", op, values.Length == 0 ? [] : values.Split('|'));
        Assert.Equal(expected, condition.Holds(value));
    }
}
