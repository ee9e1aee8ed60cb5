using System.Globalization;
using LeadHandoff.Domain.Interactions;
using LeadHandoff.Domain.Leads;

namespace LeadHandoff.Domain.Qualification;

/// Everything a decision may look at: the merged profile, the incrementally kept interaction state, and the
/// instant the decision is made (windows and decay are relative to it).
public sealed record LeadFacts(LeadProfile Profile, InteractionStats Stats, DateTimeOffset AsOf)
{
    public const string FitScoreField = "fitScore";
    public const string EngagementScoreField = "engagementScore";
    public const string GradeField = "grade";

    public static readonly IReadOnlyList<string> ScoreFields = [FitScoreField, EngagementScoreField, GradeField];

    public Guid? LeadId { get; init; }

    /// Computed by the policy's scoring before the gate is evaluated.
    public ScoreCard? Scores { get; init; }

    public static bool IsKnownField(string field) =>
        ProfileFields.IsKnown(field) || ScoreFields.Contains(field, StringComparer.OrdinalIgnoreCase);

    public string? Read(string field)
    {
        if (string.Equals(field, FitScoreField, StringComparison.OrdinalIgnoreCase))
        {
            return Scores?.Fit.ToString(CultureInfo.InvariantCulture);
        }

        if (string.Equals(field, EngagementScoreField, StringComparison.OrdinalIgnoreCase))
        {
            return Scores?.Engagement.ToString(CultureInfo.InvariantCulture);
        }

        return string.Equals(field, GradeField, StringComparison.OrdinalIgnoreCase) ? Scores?.Grade : ProfileFields.Read(Profile, field);
    }
}

/// The computed scores of one lead at one instant.
/// <param name="FitPoints">The points rules that matched, with their points.</param>
public sealed record ScoreCard(int Fit, int Engagement, string? Grade, IReadOnlyList<KeyValuePair<string, int>> FitPoints)
{
    public static readonly ScoreCard Zero = new(0, 0, null, []);
}
