using LeadHandoff.Domain.Qualification;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LeadHandoff.Api.Policy;

/// Reads a policy file (YAML, of which JSON is a subset) into the Domain's policy and validates it.
internal static class PolicyFile
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    private static readonly Dictionary<string, ConditionOperator> Operators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["eq"] = ConditionOperator.EqualTo,
        ["equals"] = ConditionOperator.EqualTo,
        ["ne"] = ConditionOperator.NotEqualTo,
        ["notEquals"] = ConditionOperator.NotEqualTo,
        ["in"] = ConditionOperator.In,
        ["notIn"] = ConditionOperator.NotIn,
        ["contains"] = ConditionOperator.Contains,
        ["startsWith"] = ConditionOperator.StartsWith,
        ["endsWith"] = ConditionOperator.EndsWith,
        ["exists"] = ConditionOperator.Exists,
        ["missing"] = ConditionOperator.Missing,
        ["gt"] = ConditionOperator.GreaterThan,
        ["gte"] = ConditionOperator.GreaterOrEqual,
        ["lt"] = ConditionOperator.LessThan,
        ["lte"] = ConditionOperator.LessOrEqual,
    };

    public static PolicyLoadResult Parse(string text, string origin)
    {
        PolicyDocument? document;
        try
        {
            document = Yaml.Deserialize<PolicyDocument>(text);
        }
        catch (YamlException ex)
        {
            return PolicyLoadResult.Failed(origin, [$"line {ex.Start.Line}, column {ex.Start.Column}: {ex.InnerException?.Message ?? ex.Message}"]);
        }

        if (document is null)
        {
            return PolicyLoadResult.Failed(origin, ["the file is empty."]);
        }

        var errors = new List<string>();
        var fit = new List<FitCondition>();
        foreach (var rule in document.Mql?.Fit ?? [])
        {
            if (!Operators.TryGetValue(rule.Op ?? string.Empty, out var op))
            {
                errors.Add($"mql.fit[{rule.Id}]: operator '{rule.Op}' is not one of {string.Join(", ", Operators.Keys)}.");
                continue;
            }

            var values = rule.Values ?? (rule.Value is null ? [] : [rule.Value]);
            fit.Add(new FitCondition(
                rule.Id ?? string.Empty,
                rule.Field ?? string.Empty,
                op,
                values,
                rule.Description ?? $"{rule.Field} {rule.Op} {string.Join(", ", values)}".Trim()));
        }

        var blacklist = new List<BlacklistEntry>();
        foreach (var entry in document.Blacklist ?? [])
        {
            if (!Enum.TryParse<BlacklistMatch>(entry.Match, ignoreCase: true, out var match))
            {
                errors.Add($"blacklist[{entry.Id}]: match '{entry.Match}' is not one of {string.Join(", ", Enum.GetNames<BlacklistMatch>())}.");
                continue;
            }

            blacklist.Add(new BlacklistEntry(
                entry.Id ?? string.Empty,
                entry.Category ?? "other",
                match,
                (entry.Values ?? []).Select(v => v.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal),
                entry.Reason ?? string.Empty));
        }

        var sla = SlaPolicyParser.Parse(document.Sla, errors);

        var policy = new QualificationPolicy(
            document.Version ?? string.Empty,
            new MqlGate(document.Mql?.MinScore, fit),
            blacklist,
            sla);

        errors.AddRange(PolicyValidator.Validate(policy));
        return errors.Count == 0 ? PolicyLoadResult.Loaded(policy) : PolicyLoadResult.Failed(origin, errors);
    }

    // YAML shape of the file; kept apart from the Domain's records so the file format can evolve on its own.
    private sealed class PolicyDocument
    {
        public string? Version { get; set; }

        public MqlDocument? Mql { get; set; }

        public List<BlacklistDocument>? Blacklist { get; set; }

        public SlaPolicyDocument? Sla { get; set; }
    }

    private sealed class MqlDocument
    {
        public int? MinScore { get; set; }

        public List<FitDocument>? Fit { get; set; }
    }

    private sealed class FitDocument
    {
        public string? Id { get; set; }

        public string? Field { get; set; }

        public string? Op { get; set; }

        public string? Value { get; set; }

        public List<string>? Values { get; set; }

        public string? Description { get; set; }
    }

    private sealed class BlacklistDocument
    {
        public string? Id { get; set; }

        public string? Category { get; set; }

        public string? Match { get; set; }

        public string? Reason { get; set; }

        public List<string>? Values { get; set; }
    }
}

internal sealed record PolicyLoadResult(QualificationPolicy? Policy, IReadOnlyList<string> Errors)
{
    public static PolicyLoadResult Loaded(QualificationPolicy policy) => new(policy, []);

    public static PolicyLoadResult Failed(string origin, IEnumerable<string> errors) =>
        new(null, errors.Select(e => $"{origin}: {e}").ToList());
}
