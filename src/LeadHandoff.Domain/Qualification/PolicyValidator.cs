using System.Globalization;

namespace LeadHandoff.Domain.Qualification;

public static class PolicyValidator
{
    /// Every problem at once, each naming the rule it concerns (<c>section[rule-id]</c>), so one edit fixes the file.
    public static IReadOnlyList<string> Validate(QualificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(policy.Version))
        {
            errors.Add("version: is required.");
        }

        var gate = policy.Mql;
        NotNegative(gate.MinScore, "mql.minScore", errors);
        NotNegative(gate.MinFitScore, "mql.minFitScore", errors);
        NotNegative(gate.MinEngagementScore, "mql.minEngagementScore", errors);
        if (gate.MinGrade is { } minGrade && !policy.Scoring.Grades.Any(g => string.Equals(g.Grade, minGrade, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"mql.minGrade: '{minGrade}' is not one of the scoring grades ({string.Join(", ", policy.Scoring.Grades.Select(g => g.Grade))}).");
        }

        var ids = new HashSet<string>(Qualifier.ReservedIds, StringComparer.Ordinal);
        CheckRules("mql.fit", gate.Fit, ids, errors);
        CheckRules("mql.engagement", gate.Engagement, ids, errors);
        CheckRules("requalify", policy.Requalify, ids, errors);
        CheckScoring(policy.Scoring, ids, errors);

        foreach (var entry in policy.Blacklist)
        {
            var where = $"blacklist[{entry.Id}]";
            CheckId(entry.Id, where, ids, errors);
            if (entry.Match == BlacklistMatch.Condition)
            {
                if (entry.When is null)
                {
                    errors.Add($"{where}: needs a condition ('when').");
                }
                else
                {
                    Check(entry.When, where, scoresAllowed: false, errors);
                }
            }
            else if (entry.Match != BlacklistMatch.Unsubscribed && entry.Values.Count == 0)
            {
                errors.Add($"{where}: needs at least one value.");
            }

            if (string.IsNullOrWhiteSpace(entry.Reason))
            {
                errors.Add($"{where}: needs a reason (it is what a seller or marketer reads).");
            }
        }

        var blacklistIds = policy.Blacklist.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var allow in policy.Allow)
        {
            var where = $"allow[{allow.Id}]";
            CheckId(allow.Id, where, ids, errors);
            if (allow.EmailDomains.Count == 0 && allow.LeadIds.Count == 0)
            {
                errors.Add($"{where}: names no email domain and no lead id.");
            }

            foreach (var unknown in allow.Overrides.Where(o => !blacklistIds.Contains(o)))
            {
                errors.Add($"{where}: overrides '{unknown}', which is not a blacklist entry.");
            }

            if (string.IsNullOrWhiteSpace(allow.Reason))
            {
                errors.Add($"{where}: needs a reason.");
            }
        }

        var sla = policy.Sla;
        if (sla.AcceptWithin <= TimeSpan.Zero)
        {
            errors.Add("sla.acceptWithinHours: must be positive.");
        }

        if (sla.FirstContactWithin <= TimeSpan.Zero)
        {
            errors.Add("sla.firstContactWithinHours: must be positive.");
        }

        if (sla.MaxAttempts < 1)
        {
            errors.Add("sla.maxAttempts: must be at least 1.");
        }

        if (sla.MonthlyMqlGoal < 0)
        {
            errors.Add("sla.monthlyMqlGoal: must not be negative.");
        }

        return errors;
    }

    private static void CheckScoring(Scoring scoring, HashSet<string> ids, List<string> errors)
    {
        foreach (var rule in scoring.Fit)
        {
            var where = $"scoring.fit[{rule.Id}]";
            CheckId(rule.Id, where, ids, errors);
            Check(rule.When, where, scoresAllowed: false, errors);
        }

        if (scoring.HalfLifeDays is <= 0)
        {
            errors.Add("scoring.engagement.halfLifeDays: must be positive.");
        }

        foreach (var (type, points) in scoring.EngagementPoints)
        {
            if (!double.IsFinite(points))
            {
                errors.Add($"scoring.engagement.points[{type}]: must be a number.");
            }
        }

        for (var i = 1; i < scoring.Grades.Count; i++)
        {
            if (scoring.Grades[i].MinFitScore >= scoring.Grades[i - 1].MinFitScore)
            {
                errors.Add($"scoring.grades[{scoring.Grades[i].Grade}]: grades go best first, each with a lower minFitScore than the one before.");
            }
        }

        if (scoring.Grades.Select(g => g.Grade).Distinct(StringComparer.OrdinalIgnoreCase).Count() != scoring.Grades.Count)
        {
            errors.Add("scoring.grades: grade names must be unique.");
        }
    }

    private static void CheckRules(string section, IReadOnlyList<PolicyRule> rules, HashSet<string> ids, List<string> errors)
    {
        foreach (var rule in rules)
        {
            var where = $"{section}[{rule.Id}]";
            CheckId(rule.Id, where, ids, errors);
            Check(rule.When, where, scoresAllowed: true, errors);
        }
    }

    private static void CheckId(string id, string where, HashSet<string> ids, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(id) || !ids.Add(id))
        {
            errors.Add($"{where}: id must be present, unique, and not one of {string.Join(", ", Qualifier.ReservedIds)}.");
        }
    }

    /// Scoring rules may not read the scores they produce.
    private static void Check(Condition condition, string where, bool scoresAllowed, List<string> errors)
    {
        switch (condition)
        {
            case AllOf all:
                all.Conditions.ToList().ForEach(c => Check(c, where, scoresAllowed, errors));
                break;
            case AnyOf any:
                if (any.Conditions.Count == 0)
                {
                    errors.Add($"{where}: 'any' needs at least one condition.");
                }

                any.Conditions.ToList().ForEach(c => Check(c, where, scoresAllowed, errors));
                break;
            case Negation not:
                Check(not.Inner, where, scoresAllowed, errors);
                break;
            case FieldCondition field:
                CheckField(field, where, scoresAllowed, errors);
                break;
            case InteractionCount count:
                if (count.AtLeast < 1)
                {
                    errors.Add($"{where}: atLeast must be at least 1.");
                }

                if (count.WithinDays < 1)
                {
                    errors.Add($"{where}: withinDays must be at least 1.");
                }

                break;
            case LastTouchWithin recency when recency.WithinDays < 1:
                errors.Add($"{where}: lastTouchWithinDays must be at least 1.");
                break;
            case Touched touched:
                if (touched.Keywords.Count == 0 || touched.Keywords.Any(string.IsNullOrWhiteSpace))
                {
                    errors.Add($"{where}: touched needs at least one non-empty keyword.");
                }

                if (touched.WithinDays is < 1)
                {
                    errors.Add($"{where}: withinDays must be at least 1.");
                }

                break;
        }
    }

    private static void CheckField(FieldCondition condition, string where, bool scoresAllowed, List<string> errors)
    {
        var isScore = LeadFacts.ScoreFields.Contains(condition.Field, StringComparer.OrdinalIgnoreCase);
        if (!LeadFacts.IsKnownField(condition.Field))
        {
            errors.Add($"{where}: field '{condition.Field}' is not one of {string.Join(", ", ProfileFields.Known.Concat(LeadFacts.ScoreFields))}.");
        }
        else if (isScore && !scoresAllowed)
        {
            errors.Add($"{where}: field '{condition.Field}' is computed by scoring and cannot be used here.");
        }

        if (FieldCondition.NeedsValue(condition.Operator) && condition.Values.Count == 0)
        {
            errors.Add($"{where}: operator {condition.Operator} needs a value.");
        }

        if (FieldCondition.IsNumeric(condition.Operator) && condition.Values.Count > 0
            && !decimal.TryParse(condition.Values[0], NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            errors.Add($"{where}: operator {condition.Operator} needs a number, not '{condition.Values[0]}'.");
        }

        if (condition.Operator == ConditionOperator.Matches && condition.Pattern is null)
        {
            errors.Add($"{where}: operator Matches needs a valid regular expression.");
        }
    }

    private static void NotNegative(int? value, string where, List<string> errors)
    {
        if (value is < 0)
        {
            errors.Add($"{where}: must not be negative.");
        }
    }
}
