using System.Globalization;
using System.Text.RegularExpressions;
using LeadHandoff.Domain.Events;

namespace LeadHandoff.Domain.Qualification;

/// A condition of the policy language: a leaf on the profile or on the engagement history, or all/any/not of
/// other conditions. Evaluation appends what each leaf looked at to <c>observed</c>, which becomes the explanation.
public abstract record Condition
{
    public abstract bool Holds(LeadFacts facts, List<string> observed);

    /// Leaves of this condition, for validation.
    public virtual IEnumerable<Condition> Leaves() => [this];
}

/// Every child holds; an empty list holds. Every child is evaluated (no short cut) so the explanation is complete.
public sealed record AllOf(IReadOnlyList<Condition> Conditions) : Condition
{
    public override bool Holds(LeadFacts facts, List<string> observed)
    {
        var all = true;
        foreach (var condition in Conditions)
        {
            all &= condition.Holds(facts, observed);
        }

        return all;
    }

    public override IEnumerable<Condition> Leaves() => Conditions.SelectMany(c => c.Leaves());
}

/// At least one child holds; an empty list does not.
public sealed record AnyOf(IReadOnlyList<Condition> Conditions) : Condition
{
    public override bool Holds(LeadFacts facts, List<string> observed)
    {
        var any = false;
        foreach (var condition in Conditions)
        {
            any |= condition.Holds(facts, observed);
        }

        return any;
    }

    public override IEnumerable<Condition> Leaves() => Conditions.SelectMany(c => c.Leaves());
}

public sealed record Negation(Condition Inner) : Condition
{
    public override bool Holds(LeadFacts facts, List<string> observed) => !Inner.Holds(facts, observed);

    public override IEnumerable<Condition> Leaves() => Inner.Leaves();
}

public enum ConditionOperator
{
    EqualTo,
    NotEqualTo,
    In,
    NotIn,
    Contains,
    StartsWith,
    EndsWith,
    Matches,
    Exists,
    Missing,
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
}

/// A test on one profile field, custom field or computed score. Text comparisons ignore case (Unicode simple case
/// folding, culture-independent); numeric ones never hold on a missing or non-numeric value.
public sealed record FieldCondition(string Field, ConditionOperator Operator, IReadOnlyList<string> Values) : Condition
{
    /// A pathological pattern must not stall ingestion: a match that runs longer than this counts as no match.
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    /// Compiled once, when the policy is loaded; required by <see cref="ConditionOperator.Matches"/>.
    public Regex? Pattern { get; init; }

    /// A <see cref="ConditionOperator.Matches"/> condition with its pattern built once, or the reason it cannot be.
    /// <param name="compiled">Compile to IL: worth it for a policy in force, which runs the pattern on every event.</param>
    public static FieldCondition Regex(string field, string pattern, out string? error, bool compiled = true)
    {
        error = null;
        Regex? regex = null;
        var options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | (compiled ? RegexOptions.Compiled : RegexOptions.None);
        try
        {
            regex = new Regex(pattern, options, RegexTimeout);
        }
        catch (ArgumentException ex)
        {
            error = $"pattern '{pattern}' is not a valid regular expression ({ex.Message}).";
        }

        return new FieldCondition(field, ConditionOperator.Matches, [pattern]) { Pattern = regex };
    }

    public static bool IsNumeric(ConditionOperator op) => op is ConditionOperator.GreaterThan
        or ConditionOperator.GreaterOrEqual
        or ConditionOperator.LessThan
        or ConditionOperator.LessOrEqual;

    public static bool NeedsValue(ConditionOperator op) => op is not (ConditionOperator.Exists or ConditionOperator.Missing);

    public override bool Holds(LeadFacts facts, List<string> observed)
    {
        var value = facts.Read(Field);
        var holds = Holds(value, out var timedOut);
        observed.Add(timedOut ? $"{Field}: pattern timed out" : $"{Field}={value ?? "(missing)"}");
        return holds;
    }

    public bool Holds(string? value) => Holds(value, out _);

    private bool Holds(string? value, out bool timedOut)
    {
        timedOut = false;
        switch (Operator)
        {
            case ConditionOperator.Exists:
                return value is not null;
            case ConditionOperator.Missing:
                return value is null;
            case ConditionOperator.EqualTo:
                return value is not null && Same(value, Values[0]);
            case ConditionOperator.NotEqualTo:
                return value is null || !Same(value, Values[0]);
            case ConditionOperator.In:
                return value is not null && Values.Any(v => Same(value, v));
            case ConditionOperator.NotIn:
                return value is null || !Values.Any(v => Same(value, v));
            case ConditionOperator.Contains:
                return value is not null && Values.Any(v => value.Contains(v, StringComparison.OrdinalIgnoreCase));
            case ConditionOperator.StartsWith:
                return value is not null && Values.Any(v => value.StartsWith(v, StringComparison.OrdinalIgnoreCase));
            case ConditionOperator.EndsWith:
                return value is not null && Values.Any(v => value.EndsWith(v, StringComparison.OrdinalIgnoreCase));
            case ConditionOperator.Matches:
                if (value is null || Pattern is null)
                {
                    return false;
                }

                try
                {
                    return Pattern.IsMatch(value);
                }
                catch (RegexMatchTimeoutException)
                {
                    timedOut = true;
                    return false;
                }

            case ConditionOperator.GreaterThan:
                return Compare(value, Values[0]) is > 0 and not int.MinValue;
            case ConditionOperator.GreaterOrEqual:
                return Compare(value, Values[0]) is >= 0 and not int.MinValue;
            case ConditionOperator.LessThan:
                return Compare(value, Values[0]) is < 0 and not int.MinValue;
            case ConditionOperator.LessOrEqual:
                return Compare(value, Values[0]) is <= 0 and not int.MinValue;
            default:
                throw new InvalidOperationException($"Unknown operator {Operator}.");
        }
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// int.MinValue when either side is missing or not a number.
    private static int Compare(string? value, string threshold) =>
        value is not null
        && decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var actual)
        && decimal.TryParse(threshold, NumberStyles.Number, CultureInfo.InvariantCulture, out var limit)
            ? actual.CompareTo(limit)
            : int.MinValue;
}

/// At least <see cref="AtLeast"/> interactions of the given types (any interaction when empty) in the last
/// <see cref="WithinDays"/> UTC calendar days, today included — e.g. two content downloads in 30 days.
public sealed record InteractionCount(IReadOnlySet<EventType> Types, int AtLeast, int WithinDays) : Condition
{
    public override bool Holds(LeadFacts facts, List<string> observed)
    {
        var count = facts.Stats.Engagement.CountWithin(Types, WithinDays, facts.AsOf);
        var what = Types.Count == 0 ? "interactions" : string.Join("/", Types.Select(EventTypes.Name));
        observed.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {what} in {WithinDays}d"));
        return count >= AtLeast;
    }
}

/// The last interaction happened at most <see cref="WithinDays"/> days (exactly, not calendar days) before the decision.
public sealed record LastTouchWithin(int WithinDays) : Condition
{
    public override bool Holds(LeadFacts facts, List<string> observed)
    {
        if (facts.Stats.LastTouch is not { } last)
        {
            observed.Add("no interaction yet");
            return false;
        }

        var age = facts.AsOf - last.OccurredAt;
        observed.Add(string.Create(CultureInfo.InvariantCulture, $"last touch {Math.Max(0, age.TotalDays):0.#}d ago"));
        return age <= TimeSpan.FromDays(WithinDays);
    }
}

/// The lead touched an asset (page, content, form…) whose name or path contains one of the keywords — e.g. a
/// pricing-page visit or a demo request — optionally within <see cref="WithinDays"/> days and of given types.
public sealed record Touched(IReadOnlySet<EventType> Types, IReadOnlyList<string> Keywords, int? WithinDays) : Condition
{
    public override bool Holds(LeadFacts facts, List<string> observed)
    {
        var mark = facts.Stats.Engagement.LastTouched(Types, Keywords);
        if (mark is null)
        {
            observed.Add($"no touch of {string.Join("/", Keywords)}");
            return false;
        }

        var age = facts.AsOf - mark.LastAt;
        observed.Add(string.Create(CultureInfo.InvariantCulture, $"{mark.Type} '{mark.Name}' {Math.Max(0, age.TotalDays):0.#}d ago"));
        return WithinDays is not { } days || age <= TimeSpan.FromDays(days);
    }
}
