using System.Globalization;
using LeadHandoff.Domain.Leads;

namespace LeadHandoff.Domain.Qualification;

public static class Qualifier
{
    public const string MinScoreRuleId = "min-score";
    public const string MinFitScoreRuleId = "min-fit-score";
    public const string MinEngagementScoreRuleId = "min-engagement-score";
    public const string MinGradeRuleId = "min-grade";

    public static readonly IReadOnlyList<string> ReservedIds = [MinScoreRuleId, MinFitScoreRuleId, MinEngagementScoreRuleId, MinGradeRuleId];

    /// Scores first (rules may read them), then the blacklist (a blacklisted profile never reaches a seller,
    /// whatever its score, unless the allow-list names it), then the MQL gate, plus the re-qualification rules
    /// for a recycled lead.
    public static Decision Evaluate(QualificationPolicy policy, LeadFacts facts, bool requalifying = false)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(facts);

        var scores = Score(policy.Scoring, facts);
        facts = facts with { Scores = scores };

        var hits = new List<RuleVerdict>();
        var allowed = new List<RuleVerdict>();
        foreach (var entry in policy.Blacklist)
        {
            var observed = BlacklistHit(entry, facts);
            if (observed is null)
            {
                continue;
            }

            if (AllowedBy(policy.Allow, entry, facts) is { } allow)
            {
                allowed.Add(new RuleVerdict(allow.Id, allow.Reason, true, $"overrides {entry.Id} ({observed})"));
            }
            else
            {
                hits.Add(new RuleVerdict(entry.Id, entry.Reason, true, observed));
            }
        }

        if (hits.Count > 0)
        {
            return new Disqualified(policy.Version, hits) { Scores = scores };
        }

        var gate = policy.Mql;
        var verdicts = new List<RuleVerdict>(gate.Fit.Count + gate.Engagement.Count + allowed.Count + 4);
        if (gate.MinScore is { } minScore)
        {
            verdicts.Add(new RuleVerdict(
                MinScoreRuleId,
                $"Score is at least {Text(minScore)}",
                facts.Profile.Score >= minScore,
                facts.Profile.Score is { } score ? Text(score) : null));
        }

        if (gate.MinFitScore is { } minFit)
        {
            verdicts.Add(new RuleVerdict(MinFitScoreRuleId, $"Fit score is at least {Text(minFit)}", scores.Fit >= minFit, Text(scores.Fit)));
        }

        if (gate.MinEngagementScore is { } minEngagement)
        {
            verdicts.Add(new RuleVerdict(
                MinEngagementScoreRuleId, $"Engagement score is at least {Text(minEngagement)}", scores.Engagement >= minEngagement, Text(scores.Engagement)));
        }

        if (gate.MinGrade is { } minGrade)
        {
            verdicts.Add(new RuleVerdict(MinGradeRuleId, $"Grade is {minGrade} or better", GradeReaches(policy.Scoring, scores.Grade, minGrade), scores.Grade));
        }

        AddRules(verdicts, gate.Fit, facts);
        AddRules(verdicts, gate.Engagement, facts);
        if (requalifying)
        {
            AddRules(verdicts, policy.Requalify, facts);
        }

        var met = verdicts.TrueForAll(v => v.Matched);
        verdicts.AddRange(allowed);
        return met
            ? new Qualified(policy.Version, verdicts) { Scores = scores }
            : new NotYet(policy.Version, verdicts) { Scores = scores };
    }

    /// Fit points from the rules that hold, engagement points decayed by age, and the grade of the fit score.
    public static ScoreCard Score(Scoring scoring, LeadFacts facts)
    {
        ArgumentNullException.ThrowIfNull(scoring);
        ArgumentNullException.ThrowIfNull(facts);
        if (ReferenceEquals(scoring, Scoring.None))
        {
            return ScoreCard.Zero;
        }

        var fit = 0;
        var matched = new List<KeyValuePair<string, int>>();
        var ignored = new List<string>();
        foreach (var rule in scoring.Fit)
        {
            if (rule.When.Holds(facts, ignored))
            {
                fit += rule.Points;
                matched.Add(new KeyValuePair<string, int>(rule.Id, rule.Points));
            }
        }

        var engagement = scoring.EngagementPoints.Count == 0
            ? 0
            : (int)Math.Round(facts.Stats.Engagement.DecayedPoints(scoring.EngagementPoints, scoring.HalfLifeDays, facts.AsOf), MidpointRounding.AwayFromZero);
        var grade = scoring.Grades.FirstOrDefault(g => fit >= g.MinFitScore)?.Grade;
        return new ScoreCard(fit, engagement, grade, matched);
    }

    private static void AddRules(List<RuleVerdict> verdicts, IReadOnlyList<PolicyRule> rules, LeadFacts facts)
    {
        foreach (var rule in rules)
        {
            var observed = new List<string>(2);
            var holds = rule.When.Holds(facts, observed);
            verdicts.Add(new RuleVerdict(rule.Id, rule.Description, holds, observed.Count == 0 ? null : string.Join("; ", observed)));
        }
    }

    private static bool GradeReaches(Scoring scoring, string? grade, string minGrade)
    {
        var index = IndexOfGrade(scoring, grade);
        return index >= 0 && index <= IndexOfGrade(scoring, minGrade);
    }

    private static int IndexOfGrade(Scoring scoring, string? grade)
    {
        for (var i = 0; i < scoring.Grades.Count; i++)
        {
            if (string.Equals(scoring.Grades[i].Grade, grade, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static AllowEntry? AllowedBy(IReadOnlyList<AllowEntry> allow, BlacklistEntry entry, LeadFacts facts)
    {
        foreach (var candidate in allow)
        {
            if (candidate.Overrides.Count > 0 && !candidate.Overrides.Contains(entry.Id))
            {
                continue;
            }

            if (facts.LeadId is { } id && candidate.LeadIds.Contains(id))
            {
                return candidate;
            }

            if (InDomains(EmailAddress.Domain(facts.Profile.Email), candidate.EmailDomains))
            {
                return candidate;
            }
        }

        return null;
    }

    /// The value that matched the entry, or null when the entry does not apply.
    private static string? BlacklistHit(BlacklistEntry entry, LeadFacts facts)
    {
        var profile = facts.Profile;
        switch (entry.Match)
        {
            case BlacklistMatch.EmailDomain:
                var domain = EmailAddress.Domain(profile.Email);
                return InDomains(domain, entry.Values) ? domain : null;
            case BlacklistMatch.EmailLocalPart:
                var local = EmailAddress.LocalPart(profile.Email);
                return local is not null && entry.Values.Contains(local) ? local : null;
            case BlacklistMatch.JobTitleKeyword:
                return profile.JobTitle is { } title && ContainsWord(title, entry.Values) ? title : null;
            case BlacklistMatch.Country:
                return profile.Country is { } country && entry.Values.Contains(country.Trim().ToLowerInvariant()) ? country : null;
            case BlacklistMatch.Unsubscribed:
                return facts.Stats.CountOf(Events.EventType.Unsubscribed) > 0 ? "unsubscribed" : null;
            case BlacklistMatch.Condition:
                var observed = new List<string>(2);
                return entry.When is { } when && when.Holds(facts, observed) ? string.Join("; ", observed) : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(entry), entry.Match, "Unknown blacklist match.");
        }
    }

    /// The domain or one of its parents is listed: a blacklisted gmail.com covers mail.gmail.com too.
    private static bool InDomains(string? domain, IReadOnlySet<string> domains)
    {
        if (domains.Count == 0)
        {
            return false;
        }

        for (var d = domain; !string.IsNullOrEmpty(d); d = ParentDomain(d))
        {
            if (domains.Contains(d))
            {
                return true;
            }
        }

        return false;
    }

    private static string? ParentDomain(string domain)
    {
        var dot = domain.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? null : domain[(dot + 1)..];
    }

    private static bool ContainsWord(string text, IReadOnlySet<string> keywords)
    {
        var words = text.ToLowerInvariant().Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries);
        return words.Any(keywords.Contains);
    }

    private static readonly char[] WordSeparators = [' ', '\t', ',', ';', '/', '-', '(', ')', '.', '&', '|'];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
