namespace LeadHandoff.Domain.Stages;

/// What sales reports about a handoff (DESIGN.md vocabulary).
public enum FeedbackType
{
    Accepted,
    Rejected,
    ContactAttempted,
    Contacted,
    Opportunity,
    Won,
    Lost,
    Recycled,
}

/// Who owns a funnel step: marketing owns Lead→MQL and nurture; sales owns everything from acceptance on.
public enum StageOwner
{
    Marketing,
    Sales,
}

/// Where one handoff stands on sales' side. The lead's funnel stage follows from it (<see cref="HandoffStates.Stage"/>).
public enum HandoffState
{
    AwaitingAcceptance,
    Accepted,
    Contacted,
    Opportunity,
    Won,
    Lost,
    Rejected,
    Recycled,

    /// Closed by the give-up rule: the attempts ran out without a contact.
    GivenUp,
}

public static class FeedbackTypes
{
    private static readonly Dictionary<string, FeedbackType> ByName = Enum.GetValues<FeedbackType>()
        .ToDictionary(Name, t => t, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<string> Names { get; } = Enum.GetValues<FeedbackType>().Select(Name).ToArray();

    public static string Name(FeedbackType type) => type switch
    {
        FeedbackType.ContactAttempted => "contactAttempted",
        _ => type.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? name, out FeedbackType type) => ByName.TryGetValue(name ?? string.Empty, out type);

    /// A rejection, a loss and a recycle must say why: the reasons are what the agreement is argued over.
    public static bool NeedsReason(FeedbackType type) => type is FeedbackType.Rejected or FeedbackType.Lost or FeedbackType.Recycled;
}
