using System.Globalization;
using System.Text.RegularExpressions;
using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Qualification;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LeadHandoff.Api.Policy;

/// Reads a policy file (YAML, of which JSON is a subset) into the Domain's policy and validates it. The file is
/// read as a node tree rather than bound to classes, so that every message can name its line, unknown keys (typos)
/// are refused instead of silently ignored, and conditions nest freely (all / any / not).
internal static partial class PolicyFile
{
    public const string DataDirectoryName = "Policy";

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
        ["matches"] = ConditionOperator.Matches,
        ["exists"] = ConditionOperator.Exists,
        ["missing"] = ConditionOperator.Missing,
        ["gt"] = ConditionOperator.GreaterThan,
        ["gte"] = ConditionOperator.GreaterOrEqual,
        ["lt"] = ConditionOperator.LessThan,
        ["lte"] = ConditionOperator.LessOrEqual,
    };

    private static readonly string[] TopKeys = ["version", "mql", "requalify", "scoring", "blacklist", "allow", "sla"];
    private static readonly string[] MqlKeys = ["minScore", "minFitScore", "minEngagementScore", "minGrade", "fit", "engagement"];
    private static readonly string[] ConditionKeys = ["field", "op", "value", "values", "all", "any", "not", "interactions", "lastTouchWithinDays", "touched"];
    private static readonly string[] RuleKeys = [.. ConditionKeys, "id", "description"];
    private static readonly string[] PointsKeys = [.. RuleKeys, "points"];
    private static readonly string[] BlacklistKeys = ["id", "category", "match", "reason", "values", "valuesFile", "when"];
    private static readonly string[] AllowKeys = ["id", "reason", "emailDomains", "leadIds", "overrides"];

    /// The shipped data files (e.g. the free-mail domain list), next to the application.
    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, DataDirectoryName);

    /// <param name="origin">Named in every message (the file path, or "candidate policy").</param>
    /// <param name="directory">Where <c>valuesFile</c> names are looked up first; the shipped directory comes next.</param>
    /// <param name="compileRegexes">False for a policy evaluated once (a simulation's candidate): compiling its
    /// patterns to IL would cost more than interpreting them for one lead.</param>
    public static PolicyLoadResult Parse(string text, string origin, string? directory, bool compileRegexes = true)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            return PolicyLoadResult.Failed(origin, [$"line {ex.Start.Line}, column {ex.Start.Column}: {ex.InnerException?.Message ?? ex.Message}"]);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return PolicyLoadResult.Failed(origin, [stream.Documents.Count == 0 ? "the file is empty." : "line 1: expected a mapping (version, mql, blacklist…)."]);
        }

        var reader = new Reader(directory, compileRegexes);
        var policy = reader.Policy(root);
        var errors = reader.Errors;
        foreach (var error in PolicyValidator.Validate(policy))
        {
            errors.Add(reader.WithLine(error));
        }

        return errors.Count == 0 ? PolicyLoadResult.Loaded(policy) with { DataFiles = reader.DataFiles } : PolicyLoadResult.Failed(origin, errors);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex DataFileName();

    [GeneratedRegex(@"^[a-zA-Z.]+\[([^\]]*)\]")]
    private static partial Regex RuleReference();

    private sealed class Reader(string? directory, bool compileRegexes)
    {
        private readonly Dictionary<string, Mark> _ruleLines = new(StringComparer.Ordinal);

        public List<string> Errors { get; } = [];

        /// The data files read, so that an edit of one is seen like an edit of the policy file.
        public List<string> DataFiles { get; } = [];

        public QualificationPolicy Policy(YamlMappingNode root)
        {
            Keys(root, TopKeys, "policy");
            var mqlNode = Mapping(root, "mql");
            if (mqlNode is not null)
            {
                Keys(mqlNode, MqlKeys, "mql");
            }

            var scoring = Scoring(Mapping(root, "scoring"));
            var gate = new MqlGate(Int(mqlNode, "minScore"), Rules(mqlNode, "fit", "mql.fit"))
            {
                Engagement = Rules(mqlNode, "engagement", "mql.engagement"),
                MinFitScore = Int(mqlNode, "minFitScore"),
                MinEngagementScore = Int(mqlNode, "minEngagementScore"),
                MinGrade = Scalar(mqlNode, "minGrade"),
            };

            var slaErrors = new List<string>();
            var sla = SlaPolicySection.Parse(Child(root, "sla") is { } slaNode ? Yaml(slaNode) : null, slaErrors);
            Errors.AddRange(slaErrors.Select(e => At(Child(root, "sla")?.Start ?? root.Start, e)));

            return new QualificationPolicy(Scalar(root, "version") ?? string.Empty, gate, Blacklist(root), sla)
            {
                Scoring = scoring,
                Allow = Allow(root),
                Requalify = Rules(root, "requalify", "requalify"),
            };
        }

        /// Prefixes a validator message about <c>section[id]</c> with the rule's line.
        public string WithLine(string error)
        {
            var match = RuleReference().Match(error);
            return match.Success && _ruleLines.TryGetValue(match.Value, out var mark) ? At(mark, error) : error;
        }

        private List<PolicyRule> Rules(YamlMappingNode? parent, string key, string section)
        {
            var rules = new List<PolicyRule>();
            foreach (var node in Items(parent, key, section))
            {
                var id = Scalar(node, "id") ?? string.Empty;
                _ruleLines.TryAdd($"{section}[{id}]", node.Start);
                Keys(node, RuleKeys, $"{section}[{id}]");
                var condition = Condition(node, $"{section}[{id}]");
                if (condition is not null)
                {
                    rules.Add(new PolicyRule(id, Scalar(node, "description") ?? Describe(condition), condition));
                }
            }

            return rules;
        }

        private Scoring Scoring(YamlMappingNode? node)
        {
            if (node is null)
            {
                return Domain.Qualification.Scoring.None;
            }

            Keys(node, ["fit", "engagement", "grades"], "scoring");
            var fit = new List<PointsRule>();
            foreach (var item in Items(node, "fit", "scoring.fit"))
            {
                var id = Scalar(item, "id") ?? string.Empty;
                var where = $"scoring.fit[{id}]";
                _ruleLines.TryAdd(where, item.Start);
                Keys(item, PointsKeys, where);
                var points = Int(item, "points");
                if (points is null)
                {
                    Errors.Add(At(item.Start, $"{where}: points is required."));
                }

                if (Condition(item, where) is { } condition)
                {
                    fit.Add(new PointsRule(id, Scalar(item, "description") ?? Describe(condition), condition, points ?? 0));
                }
            }

            var engagementPoints = new Dictionary<EventType, double>();
            double? halfLife = null;
            if (Mapping(node, "engagement") is { } engagement)
            {
                Keys(engagement, ["points", "halfLifeDays"], "scoring.engagement");
                halfLife = Double(engagement, "halfLifeDays");
                if (Mapping(engagement, "points") is { } points)
                {
                    foreach (var (typeNode, valueNode) in points.Children)
                    {
                        var typeName = ((YamlScalarNode)typeNode).Value;
                        if (!EventTypes.TryParse(typeName, out var type))
                        {
                            Errors.Add(At(typeNode.Start, $"scoring.engagement.points: '{typeName}' is not one of {string.Join(", ", EventTypes.All)}."));
                        }
                        else if (DoubleOf(valueNode, $"scoring.engagement.points.{typeName}") is { } value)
                        {
                            engagementPoints[type] = value;
                        }
                    }
                }
            }

            var grades = new List<GradeBand>();
            foreach (var item in Items(node, "grades", "scoring.grades"))
            {
                Keys(item, ["grade", "minFitScore"], "scoring.grades");
                var grade = Scalar(item, "grade");
                var min = Int(item, "minFitScore");
                if (grade is null || min is null)
                {
                    Errors.Add(At(item.Start, "scoring.grades: each grade needs a grade and a minFitScore."));
                    continue;
                }

                grades.Add(new GradeBand(grade, min.Value));
            }

            return new Scoring(fit, engagementPoints, halfLife, grades);
        }

        private List<BlacklistEntry> Blacklist(YamlMappingNode root)
        {
            var entries = new List<BlacklistEntry>();
            foreach (var node in Items(root, "blacklist", "blacklist"))
            {
                var id = Scalar(node, "id") ?? string.Empty;
                var where = $"blacklist[{id}]";
                _ruleLines.TryAdd(where, node.Start);
                Keys(node, BlacklistKeys, where);
                var matchName = Scalar(node, "match");
                if (!Enum.TryParse<BlacklistMatch>(matchName, ignoreCase: true, out var match) || int.TryParse(matchName, out _))
                {
                    Errors.Add(At(node.Start, $"{where}: match '{matchName}' is not one of {string.Join(", ", Enum.GetNames<BlacklistMatch>().Select(Camel))}."));
                    continue;
                }

                var values = Strings(node, "values", where).Select(v => v.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
                if (Scalar(node, "valuesFile") is { } file)
                {
                    values.UnionWith(DataFile(file, Child(node, "valuesFile")!.Start, where).Select(v => v.ToLowerInvariant()));
                }

                Condition? when = null;
                if (Child(node, "when") is { } whenNode)
                {
                    if (whenNode is YamlMappingNode whenMap)
                    {
                        Keys(whenMap, ConditionKeys, where);
                        when = Condition(whenMap, where);
                    }
                    else
                    {
                        Invalid(whenNode, $"{where}: 'when' must be a condition.");
                    }
                }

                entries.Add(new BlacklistEntry(id, Scalar(node, "category") ?? "other", match, values, Scalar(node, "reason") ?? string.Empty) { When = when });
            }

            return entries;
        }

        private List<AllowEntry> Allow(YamlMappingNode root)
        {
            var entries = new List<AllowEntry>();
            foreach (var node in Items(root, "allow", "allow"))
            {
                var id = Scalar(node, "id") ?? string.Empty;
                var where = $"allow[{id}]";
                _ruleLines.TryAdd(where, node.Start);
                Keys(node, AllowKeys, where);
                var leadIds = new HashSet<Guid>();
                foreach (var text in Strings(node, "leadIds", where))
                {
                    if (Guid.TryParse(text, out var leadId))
                    {
                        leadIds.Add(leadId);
                    }
                    else
                    {
                        Errors.Add(At(node.Start, $"{where}: lead id '{text}' is not a UUID."));
                    }
                }

                entries.Add(new AllowEntry(
                    id,
                    Scalar(node, "reason") ?? string.Empty,
                    Strings(node, "emailDomains", where).Select(d => d.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal),
                    leadIds,
                    Strings(node, "overrides", where).ToHashSet(StringComparer.Ordinal)));
            }

            return entries;
        }

        /// The one condition a rule (or a nested condition) states.
        private Condition? Condition(YamlMappingNode node, string where)
        {
            var kinds = ConditionKeys.Where(k => k is not ("op" or "value" or "values") && Child(node, k) is not null).ToList();
            if (kinds.Count != 1)
            {
                return Invalid(node, kinds.Count == 0
                    ? $"{where}: states no condition (field/op, all, any, not, interactions, lastTouchWithinDays or touched)."
                    : $"{where}: states several conditions ({string.Join(", ", kinds)}); combine them with all or any.");
            }

            switch (kinds[0])
            {
                case "field":
                    return Field(node, where);
                case "all":
                    return new AllOf(Nested(node, "all", where));
                case "any":
                    return new AnyOf(Nested(node, "any", where));
                case "not":
                    if (Child(node, "not") is not YamlMappingNode inner)
                    {
                        return Invalid(node, $"{where}: 'not' must be one condition.");
                    }

                    Keys(inner, ConditionKeys, where);
                    return Condition(inner, where) is { } negated ? new Negation(negated) : null;
                case "lastTouchWithinDays":
                    return Int(node, "lastTouchWithinDays") is { } days
                        ? new LastTouchWithin(days)
                        : Invalid(node, $"{where}: lastTouchWithinDays needs a whole number of days.");
                case "interactions":
                    if (Mapping(node, "interactions") is not { } counting)
                    {
                        return Invalid(node, $"{where}: 'interactions' must be a mapping (types, atLeast, withinDays).");
                    }

                    Keys(counting, ["types", "atLeast", "withinDays"], where);
                    return new InteractionCount(Types(counting, where), Int(counting, "atLeast") ?? 1, Required(Int(counting, "withinDays"), counting, where, "withinDays"));
                default:
                    if (Mapping(node, "touched") is not { } touched)
                    {
                        return Invalid(node, $"{where}: 'touched' must be a mapping (keywords, types, withinDays).");
                    }

                    Keys(touched, ["keywords", "types", "withinDays"], where);
                    return new Touched(Types(touched, where), Strings(touched, "keywords", where), Int(touched, "withinDays"));
            }
        }

        private FieldCondition? Field(YamlMappingNode node, string where)
        {
            var field = Scalar(node, "field") ?? string.Empty;
            var opName = Scalar(node, "op");
            if (!Operators.TryGetValue(opName ?? string.Empty, out var op))
            {
                Errors.Add(At(node.Start, $"{where}: operator '{opName}' is not one of {string.Join(", ", Operators.Keys)}."));
                return null;
            }

            var values = Child(node, "values") is not null ? Strings(node, "values", where) : Scalar(node, "value") is { } one ? [one] : [];
            if (op != ConditionOperator.Matches)
            {
                return new FieldCondition(field, op, values);
            }

            if (values.Count != 1)
            {
                return Invalid(node, $"{where}: matches needs exactly one pattern in 'value'.") as FieldCondition;
            }

            var condition = FieldCondition.Regex(field, values[0], out var error, compileRegexes);
            if (error is not null)
            {
                Errors.Add(At(node.Start, $"{where}: {error}"));
            }

            return condition;
        }

        private List<Condition> Nested(YamlMappingNode node, string key, string where)
        {
            if (Child(node, key) is not YamlSequenceNode sequence)
            {
                Errors.Add(At(node.Start, $"{where}: '{key}' must be a list of conditions."));
                return [];
            }

            var conditions = new List<Condition>();
            foreach (var item in sequence)
            {
                if (item is YamlMappingNode map)
                {
                    Keys(map, ConditionKeys, where);
                    if (Condition(map, where) is { } condition)
                    {
                        conditions.Add(condition);
                    }
                }
                else
                {
                    Errors.Add(At(item.Start, $"{where}: each item of '{key}' must be a condition."));
                }
            }

            return conditions;
        }

        private HashSet<EventType> Types(YamlMappingNode node, string where)
        {
            var types = new HashSet<EventType>();
            foreach (var name in Strings(node, "types", where))
            {
                if (EventTypes.TryParse(name, out var type))
                {
                    types.Add(type);
                }
                else
                {
                    Errors.Add(At(node.Start, $"{where}: event type '{name}' is not one of {string.Join(", ", EventTypes.All)}."));
                }
            }

            return types;
        }

        private List<string> DataFile(string name, Mark mark, string where)
        {
            if (!DataFileName().IsMatch(name))
            {
                Errors.Add(At(mark, $"{where}: valuesFile '{name}' must be a plain file name (looked up next to the policy file, then among the shipped lists)."));
                return [];
            }

            var path = new[] { directory, ShippedDirectory }.OfType<string>().Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
            if (path is null)
            {
                Errors.Add(At(mark, $"{where}: valuesFile '{name}' does not exist."));
                return [];
            }

            DataFiles.Add(path);
            return File.ReadLines(path)
                .Select(line => line.Split('#', 2)[0].Trim())
                .Where(line => line.Length > 0)
                .ToList();
        }

        private int Required(int? value, YamlMappingNode node, string where, string key)
        {
            if (value is null)
            {
                Errors.Add(At(node.Start, $"{where}: {key} is required."));
            }

            return value ?? 0;
        }

        private Condition? Invalid(YamlNode node, string message)
        {
            Errors.Add(At(node.Start, message));
            return null;
        }

        private void Keys(YamlMappingNode node, string[] allowed, string where)
        {
            foreach (var key in node.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value;
                if (name is null || !allowed.Contains(name, StringComparer.Ordinal))
                {
                    Errors.Add(At(key.Start, $"{where}: unknown key '{name}' (expected one of {string.Join(", ", allowed)})."));
                }
            }
        }

        private IEnumerable<YamlMappingNode> Items(YamlMappingNode? parent, string key, string where)
        {
            var node = Child(parent, key);
            if (node is null)
            {
                yield break;
            }

            if (node is not YamlSequenceNode sequence)
            {
                Errors.Add(At(node.Start, $"{where}: must be a list."));
                yield break;
            }

            foreach (var item in sequence)
            {
                if (item is YamlMappingNode map)
                {
                    yield return map;
                }
                else
                {
                    Errors.Add(At(item.Start, $"{where}: each item must be a mapping."));
                }
            }
        }

        private List<string> Strings(YamlMappingNode node, string key, string where)
        {
            switch (Child(node, key))
            {
                case null:
                    return [];
                case YamlSequenceNode sequence:
                    return sequence.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).ToList();
                case YamlScalarNode scalar:
                    return [scalar.Value ?? string.Empty];
                case var other:
                    Errors.Add(At(other.Start, $"{where}: '{key}' must be a list of values."));
                    return [];
            }
        }

        private int? Int(YamlMappingNode? node, string key)
        {
            var text = Scalar(node, key);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Errors.Add(At(Child(node, key)!.Start, $"{key}: '{text}' is not a whole number."));
            return null;
        }

        private double? Double(YamlMappingNode node, string key) => Child(node, key) is { } child ? DoubleOf(child, key) : null;

        private double? DoubleOf(YamlNode node, string where)
        {
            if (node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Errors.Add(At(node.Start, $"{where}: must be a number."));
            return null;
        }

        private static string? Scalar(YamlMappingNode? node, string key) =>
            Child(node, key) is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

        private YamlMappingNode? Mapping(YamlMappingNode? node, string key)
        {
            var child = Child(node, key);
            if (child is null or YamlMappingNode)
            {
                return child as YamlMappingNode;
            }

            Errors.Add(At(child.Start, $"{key}: must be a mapping."));
            return null;
        }

        private static YamlNode? Child(YamlMappingNode? node, string key) =>
            node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

        private static string At(Mark mark, string message) => $"line {mark.Line}: {message}";

        private static string Yaml(YamlNode node)
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
            return writer.ToString();
        }

        private static string Camel(string name) => string.Concat(char.ToLowerInvariant(name[0]).ToString(), name.AsSpan(1));
    }

    /// A rule's default description, readable by a marketer: "companySize gte 10", "2 contentDownloaded in 30 days".
    public static string Describe(Condition condition) => condition switch
    {
        FieldCondition f => $"{f.Field} {OperatorName(f.Operator)} {string.Join(", ", f.Values)}".TrimEnd(),
        AllOf all => "all of (" + string.Join("; ", all.Conditions.Select(Describe)) + ")",
        AnyOf any => "any of (" + string.Join("; ", any.Conditions.Select(Describe)) + ")",
        Negation not => "not (" + Describe(not.Inner) + ")",
        InteractionCount c => string.Create(CultureInfo.InvariantCulture, $"at least {c.AtLeast} {(c.Types.Count == 0 ? "interactions" : string.Join("/", c.Types.Select(EventTypes.Name)))} in {c.WithinDays} days"),
        LastTouchWithin r => string.Create(CultureInfo.InvariantCulture, $"last interaction within {r.WithinDays} days"),
        Touched t => $"touched {string.Join(" or ", t.Keywords)}" + (t.WithinDays is { } d ? string.Create(CultureInfo.InvariantCulture, $" within {d} days") : string.Empty),
        _ => condition.GetType().Name,
    };

    public static string OperatorName(ConditionOperator op) => Operators.First(o => o.Value == op).Key;
}

internal sealed record PolicyLoadResult(QualificationPolicy? Policy, IReadOnlyList<string> Errors)
{
    public IReadOnlyList<string> DataFiles { get; init; } = [];

    public static PolicyLoadResult Loaded(QualificationPolicy policy) => new(policy, []);

    public static PolicyLoadResult Failed(string origin, IEnumerable<string> errors) =>
        new(null, errors.Select(e => $"{origin}: {e}").ToList());
}
