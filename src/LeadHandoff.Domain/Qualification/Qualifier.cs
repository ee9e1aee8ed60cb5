using System.Globalization;
using LeadHandoff.Domain.Leads;

namespace LeadHandoff.Domain.Qualification;

public static class Qualifier
{
    public const string MinScoreRuleId = "min-score";

    /// Blacklist first (a blacklisted profile never reaches a seller, whatever its score), then the MQL gate.
    public static Decision Evaluate(QualificationPolicy policy, LeadProfile profile)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(profile);

        var hits = new List<RuleVerdict>();
        foreach (var entry in policy.Blacklist)
        {
            var observed = BlacklistHit(entry, profile);
            if (observed is not null)
            {
                hits.Add(new RuleVerdict(entry.Id, entry.Reason, true, observed));
            }
        }

        if (hits.Count > 0)
        {
            return new Disqualified(policy.Version, hits);
        }

        var verdicts = new List<RuleVerdict>(policy.Mql.Fit.Count + 1);
        if (policy.Mql.MinScore is { } minScore)
        {
            verdicts.Add(new RuleVerdict(
                MinScoreRuleId,
                $"Score is at least {minScore.ToString(CultureInfo.InvariantCulture)}",
                profile.Score >= minScore,
                profile.Score?.ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var condition in policy.Mql.Fit)
        {
            var value = ProfileFields.Read(profile, condition.Field);
            verdicts.Add(new RuleVerdict(condition.Id, condition.Description, Holds(condition, value), value));
        }

        return verdicts.TrueForAll(v => v.Matched)
            ? new Qualified(policy.Version, verdicts)
            : new NotYet(policy.Version, verdicts);
    }

    /// The value that matched the entry, or null when the entry does not apply.
    private static string? BlacklistHit(BlacklistEntry entry, LeadProfile profile)
    {
        switch (entry.Match)
        {
            case BlacklistMatch.EmailDomain:
                var domain = EmailAddress.Domain(profile.Email);
                for (var d = domain; !string.IsNullOrEmpty(d); d = ParentDomain(d))
                {
                    if (entry.Values.Contains(d))
                    {
                        return domain;
                    }
                }

                return null;
            case BlacklistMatch.EmailLocalPart:
                var local = EmailAddress.LocalPart(profile.Email);
                return local is not null && entry.Values.Contains(local) ? local : null;
            case BlacklistMatch.JobTitleKeyword:
                return profile.JobTitle is { } title && ContainsWord(title, entry.Values) ? title : null;
            case BlacklistMatch.Country:
                return profile.Country is { } country && entry.Values.Contains(country.Trim().ToLowerInvariant()) ? country : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(entry), entry.Match, "Unknown blacklist match.");
        }
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

    internal static bool Holds(FitCondition condition, string? value)
    {
        var values = condition.Values;
        return condition.Operator switch
        {
            ConditionOperator.Exists => value is not null,
            ConditionOperator.Missing => value is null,
            ConditionOperator.EqualTo => value is not null && Same(value, values[0]),
            ConditionOperator.NotEqualTo => value is null || !Same(value, values[0]),
            ConditionOperator.In => value is not null && values.Any(v => Same(value, v)),
            ConditionOperator.NotIn => value is null || !values.Any(v => Same(value, v)),
            ConditionOperator.Contains => value is not null && values.Any(v => value.Contains(v, StringComparison.OrdinalIgnoreCase)),
            ConditionOperator.StartsWith => value is not null && values.Any(v => value.StartsWith(v, StringComparison.OrdinalIgnoreCase)),
            ConditionOperator.EndsWith => value is not null && values.Any(v => value.EndsWith(v, StringComparison.OrdinalIgnoreCase)),
            ConditionOperator.GreaterThan => Compare(value, values[0]) > 0,
            ConditionOperator.GreaterOrEqual => Compare(value, values[0]) >= 0,
            ConditionOperator.LessThan => Compare(value, values[0]) is < 0 and not int.MinValue,
            ConditionOperator.LessOrEqual => Compare(value, values[0]) is <= 0 and not int.MinValue,
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.Operator, "Unknown operator."),
        };
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// int.MinValue when either side is missing or not a number: a numeric rule never holds on an unknown value.
    private static int Compare(string? value, string threshold) =>
        value is not null
        && decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var actual)
        && decimal.TryParse(threshold, NumberStyles.Number, CultureInfo.InvariantCulture, out var limit)
            ? actual.CompareTo(limit)
            : int.MinValue;

    internal static bool IsNumeric(ConditionOperator op) => op is ConditionOperator.GreaterThan
        or ConditionOperator.GreaterOrEqual
        or ConditionOperator.LessThan
        or ConditionOperator.LessOrEqual;
}
