using System.Globalization;

namespace LeadHandoff.Domain.Qualification;

public static class PolicyValidator
{
    /// Every problem at once, each naming the rule it concerns, so one edit fixes the file.
    public static IReadOnlyList<string> Validate(QualificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(policy.Version))
        {
            errors.Add("version: is required.");
        }

        if (policy.Mql.MinScore is < 0)
        {
            errors.Add("mql.minScore: must not be negative.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal) { Qualifier.MinScoreRuleId };
        foreach (var condition in policy.Mql.Fit)
        {
            var where = $"mql.fit[{condition.Id}]";
            if (string.IsNullOrWhiteSpace(condition.Id) || !ids.Add(condition.Id))
            {
                errors.Add($"{where}: id must be present and unique.");
            }

            if (!ProfileFields.IsKnown(condition.Field))
            {
                errors.Add($"{where}: field '{condition.Field}' is not one of {string.Join(", ", ProfileFields.Known)}.");
            }

            var needsValue = condition.Operator is not (ConditionOperator.Exists or ConditionOperator.Missing);
            if (needsValue && condition.Values.Count == 0)
            {
                errors.Add($"{where}: operator {condition.Operator} needs a value.");
            }

            if (Qualifier.IsNumeric(condition.Operator) && condition.Values.Count > 0
                && !decimal.TryParse(condition.Values[0], NumberStyles.Number, CultureInfo.InvariantCulture, out _))
            {
                errors.Add($"{where}: operator {condition.Operator} needs a number, not '{condition.Values[0]}'.");
            }
        }

        foreach (var entry in policy.Blacklist)
        {
            var where = $"blacklist[{entry.Id}]";
            if (string.IsNullOrWhiteSpace(entry.Id) || !ids.Add(entry.Id))
            {
                errors.Add($"{where}: id must be present and unique.");
            }

            if (entry.Values.Count == 0)
            {
                errors.Add($"{where}: needs at least one value.");
            }

            if (string.IsNullOrWhiteSpace(entry.Reason))
            {
                errors.Add($"{where}: needs a reason (it is what a seller or marketer reads).");
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
}
