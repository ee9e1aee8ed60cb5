using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Interactions;
using LeadHandoff.Domain.Leads;
using LeadHandoff.Domain.Qualification;

namespace LeadHandoff.Domain.Tests;

public sealed class ConditionTests
{
    private static readonly DateTimeOffset Now = Policies.Now;

    private static LeadFacts Facts(string? industry = "Software", int? size = 250, InteractionStats? stats = null, IReadOnlyDictionary<string, string>? custom = null) =>
        Policies.Facts(new LeadProfile(
            "jane@acme.io", "Jane", "Doe", null, "Acme", "VP Marketing", size, null, "US", industry, 72, custom ?? ContactData.NoValues, null), stats);

    private static readonly Condition True = new FieldCondition("industry", ConditionOperator.Exists, []);
    private static readonly Condition False = new FieldCondition("industry", ConditionOperator.Missing, []);

    public static TheoryData<string, Condition, bool> Combinators => new()
    {
        { "all of nothing", new AllOf([]), true },
        { "all true", new AllOf([True, True]), true },
        { "all with one false", new AllOf([True, False]), false },
        { "any of nothing", new AnyOf([]), false },
        { "any with one true", new AnyOf([False, True]), true },
        { "any all false", new AnyOf([False, False]), false },
        { "not true", new Negation(True), false },
        { "not false", new Negation(False), true },
        { "nested", new AllOf([new AnyOf([False, True]), new Negation(new AllOf([True, False]))]), true },
    };

    [Theory]
    [MemberData(nameof(Combinators))]
    public void Holds_Combinator_FollowsBooleanLogic(string name, Condition condition, bool expected)
    {
        Assert.True(expected == condition.Holds(Facts(), []), name);
    }

    [Fact]
    public void Holds_Combinator_ObservesEveryLeafForTheExplanation()
    {
        var observed = new List<string>();
        new AnyOf([True, new FieldCondition("companySize", ConditionOperator.GreaterThan, ["10"])]).Holds(Facts(), observed);
        Assert.Equal(["industry=Software", "companySize=250"], observed);
    }

    [Theory]
    [InlineData("Software", "^soft", true)]
    [InlineData("SOFTWARE", "^soft", true)]
    [InlineData("Hardware", "^soft", false)]
    [InlineData(null, ".*", false)]
    [InlineData("Logiciel Ã©diteur", "éditeur$", false)]
    [InlineData("Logiciel éditeur", "éditeur$", true)]
    [InlineData("Ação", "^AÇÃO$", true)]
    public void Holds_Matches_IsCaseInsensitiveAndNeverHoldsOnMissing(string? value, string pattern, bool expected)
    {
        var condition = FieldCondition.Regex("industry", pattern, out var error);
        Assert.Null(error);
        Assert.Equal(expected, condition.Holds(value));
    }

    [Fact]
    public void Regex_InvalidPattern_IsReported()
    {
        FieldCondition.Regex("industry", "([unclosed", out var error);
        Assert.Contains("not a valid regular expression", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Holds_CatastrophicPattern_TimesOutAsNoMatchAndSaysSo()
    {
        var condition = FieldCondition.Regex("industry", "^(a+)+$", out _);
        var observed = new List<string>();

        var holds = condition.Holds(Facts(industry: new string('a', 5000) + "!"), observed);

        Assert.False(holds);
        Assert.Equal(["industry: pattern timed out"], observed);
    }

    [Theory]
    [InlineData("ÉDITEUR", "éditeur", true)]
    [InlineData("Ἀθῆναι", "ἀθῆναι", true)]
    [InlineData("straße", "STRASSE", false)]
    [InlineData("São Paulo", "Sao Paulo", false)]
    public void Holds_EqualTo_IgnoresUnicodeCaseButNotAccents(string value, string expected, bool holds)
    {
        Assert.Equal(holds, new FieldCondition("industry", ConditionOperator.EqualTo, [expected]).Holds(value));
    }

    [Theory]
    [InlineData("custom.budget", "50k", true)]
    [InlineData("custom.region", null, false)]
    [InlineData("fitScore", null, false)]
    public void Holds_CustomAndMissingFields_ExistsOnlyWhenPresent(string field, string? _, bool expected)
    {
        var facts = Facts(custom: new Dictionary<string, string> { ["budget"] = "50k", ["region"] = " " });
        Assert.Equal(expected, new FieldCondition(field, ConditionOperator.Exists, []).Holds(facts, []));
    }

    [Fact]
    public void Holds_ScoreFields_ReadTheComputedScores()
    {
        var facts = Facts() with { Scores = new ScoreCard(60, 12, "B", []) };
        Assert.True(new FieldCondition("fitScore", ConditionOperator.GreaterOrEqual, ["60"]).Holds(facts, []));
        Assert.True(new FieldCondition("engagementScore", ConditionOperator.LessThan, ["13"]).Holds(facts, []));
        Assert.True(new FieldCondition("grade", ConditionOperator.In, ["a", "b"]).Holds(facts, []));
    }

    private static InteractionStats History(params (EventType Type, double DaysAgo, string? Name)[] events)
    {
        var stats = new InteractionStats();
        var i = 0;
        foreach (var (type, daysAgo, name) in events)
        {
            stats.Record(
                new LeadEvent($"e{i++}", type, Now.AddDays(-daysAgo), Policies.NoContact, new InteractionData("web", name, null, null, [])),
                "test");
        }

        return stats;
    }

    public static TheoryData<string, InteractionStats, bool> TwoDownloadsIn30Days => new()
    {
        { "empty history", new InteractionStats(), false },
        { "one download", History((EventType.ContentDownloaded, 1, null)), false },
        { "two downloads today and 29 days ago", History((EventType.ContentDownloaded, 0, null), (EventType.ContentDownloaded, 29, null)), true },
        { "second download 30 days ago (outside)", History((EventType.ContentDownloaded, 0, null), (EventType.ContentDownloaded, 30, null)), false },
        { "two of another type", History((EventType.PageViewed, 1, null), (EventType.PageViewed, 2, null)), false },
        { "three downloads", History((EventType.ContentDownloaded, 1, null), (EventType.ContentDownloaded, 2, null), (EventType.ContentDownloaded, 3, null)), true },
    };

    [Theory]
    [MemberData(nameof(TwoDownloadsIn30Days))]
    public void Holds_InteractionCount_CountsWholeUtcDaysOfTheWindow(string name, InteractionStats stats, bool expected)
    {
        var condition = new InteractionCount(new HashSet<EventType> { EventType.ContentDownloaded }, 2, 30);
        Assert.True(expected == condition.Holds(Facts(stats: stats), []), name);
    }

    [Fact]
    public void Holds_InteractionCountOfAnyType_CountsEveryInteraction()
    {
        var stats = History((EventType.PageViewed, 0, null), (EventType.EmailClicked, 0, null));
        var observed = new List<string>();
        Assert.True(new InteractionCount(new HashSet<EventType>(), 2, 1).Holds(Facts(stats: stats), observed));
        Assert.Equal(["2 interactions in 1d"], observed);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(30, true)]
    [InlineData(30.01, false)]
    public void Holds_LastTouchWithin_BoundaryIsInclusive(double daysAgo, bool expected)
    {
        var stats = History((EventType.PageViewed, daysAgo, "Home"));
        Assert.Equal(expected, new LastTouchWithin(30).Holds(Facts(stats: stats), []));
    }

    [Fact]
    public void Holds_LastTouchWithin_EmptyHistory_DoesNotHold()
    {
        var observed = new List<string>();
        Assert.False(new LastTouchWithin(30).Holds(Facts(), observed));
        Assert.Equal(["no interaction yet"], observed);
    }

    public static TheoryData<string, InteractionStats, bool> PricingVisitIn60Days => new()
    {
        { "pricing page yesterday", History((EventType.PageViewed, 1, "Pricing page")), true },
        { "pricing page in upper case", History((EventType.PageViewed, 1, "PRICING")), true },
        { "pricing page 61 days ago", History((EventType.PageViewed, 61, "Pricing page")), false },
        { "pricing form, not a page", History((EventType.FormSubmitted, 1, "Pricing request")), false },
        { "another page", History((EventType.PageViewed, 1, "Blog")), false },
        { "empty history", new InteractionStats(), false },
    };

    [Theory]
    [MemberData(nameof(PricingVisitIn60Days))]
    public void Holds_Touched_NeedsKeywordTypeAndWindow(string name, InteractionStats stats, bool expected)
    {
        var condition = new Touched(new HashSet<EventType> { EventType.PageViewed }, ["pricing"], 60);
        Assert.True(expected == condition.Holds(Facts(stats: stats), []), name);
    }

    [Fact]
    public void Touched_AssetWithoutName_IsKnownByItsUrlPathWithoutQuery()
    {
        var stats = new InteractionStats();
        stats.Record(
            new LeadEvent("e", EventType.PageViewed, Now, Policies.NoContact, new InteractionData("web", null, "https://vendor.example/Demo?email=jane@acme.io", null, [])),
            "test");

        var observed = new List<string>();
        Assert.True(new Touched(new HashSet<EventType>(), ["demo"], null).Holds(Facts(stats: stats), observed));
        Assert.DoesNotContain("jane", observed.Single(), StringComparison.Ordinal);
    }
}
