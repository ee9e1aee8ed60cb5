namespace LeadHandoff.Contracts.V1;

/// <summary>
/// Published once a lead becomes marketing-qualified: everything a seller needs to follow up without asking the lead
/// again. The message id equals <see cref="HandoffId"/>, so a re-published handoff is recognisable as the same one.
/// </summary>
/// <param name="HandoffId">The handoff's id; stable across re-publication.</param>
/// <param name="LeadId">The lead's id in LeadHandoff.</param>
/// <param name="OccurredAt">When the lead became an MQL.</param>
/// <param name="Lead">The contact details and profile.</param>
/// <param name="Scores">The scores known when the lead qualified.</param>
/// <param name="Decision">The qualification decision with the policy version and the rules that matched.</param>
/// <param name="Interactions">What the lead did: counts, first and last touch, recent interactions, interests.</param>
/// <param name="Sla">The follow-up terms sales agreed to.</param>
/// <param name="Routing">Hints for the CRM's assignment rules.</param>
public sealed record LeadHandoffRequested(
    Guid HandoffId,
    Guid LeadId,
    DateTimeOffset OccurredAt,
    LeadProfile Lead,
    LeadScores Scores,
    QualificationDecision Decision,
    InteractionSummary Interactions,
    SlaTerms Sla,
    RoutingHints Routing)
{
    /// <summary>A one-paragraph, plain-language summary of the lead for the seller.</summary>
    public string? Summary { get; init; }
}

/// <summary>The lead's contact details and firmographics.</summary>
/// <param name="Email">Normalized email address.</param>
/// <param name="FirstName">Given name.</param>
/// <param name="LastName">Family name.</param>
/// <param name="Phone">Phone number as the platform sent it.</param>
/// <param name="Company">Company name.</param>
/// <param name="JobTitle">Job title.</param>
/// <param name="CompanySize">Number of employees.</param>
/// <param name="Website">Company website.</param>
/// <param name="Country">Country (ISO 3166 alpha-2 where the platform sent one).</param>
/// <param name="Industry">Industry.</param>
/// <param name="ExternalIds">The lead's ids in other systems, keyed by system (e.g. <c>hubspot</c>).</param>
/// <param name="CustomFields">Custom fields as the platforms sent them.</param>
public sealed record LeadProfile(
    string? Email,
    string? FirstName,
    string? LastName,
    string? Phone,
    string? Company,
    string? JobTitle,
    int? CompanySize,
    string? Website,
    string? Country,
    string? Industry,
    IReadOnlyDictionary<string, string> ExternalIds,
    IReadOnlyDictionary<string, string> CustomFields);

/// <summary>Scores known when the lead qualified.</summary>
/// <param name="Score">The marketing platform's lead score.</param>
public sealed record LeadScores(int? Score)
{
    /// <summary>Fit points from the policy's scoring rules.</summary>
    public int? FitScore { get; init; }

    /// <summary>Engagement points, decayed with the age of each interaction.</summary>
    public int? EngagementScore { get; init; }

    /// <summary>The grade of the fit score (e.g. <c>A</c>), when the policy defines grades.</summary>
    public string? Grade { get; init; }
}

/// <summary>Why the lead qualified.</summary>
/// <param name="PolicyVersion">The version of the qualification policy that decided.</param>
/// <param name="Outcome">Always <c>qualified</c> on a handoff.</param>
/// <param name="RulesMatched">The rules that matched, each with the values it looked at.</param>
public sealed record QualificationDecision(
    string PolicyVersion,
    string Outcome,
    IReadOnlyList<RuleResult> RulesMatched);

/// <summary>One rule's verdict.</summary>
/// <param name="RuleId">The rule's id in the policy.</param>
/// <param name="Description">What the rule checks, in words.</param>
/// <param name="Matched">Whether it matched.</param>
/// <param name="Observed">The value the rule looked at, if any (never an email or phone number).</param>
public sealed record RuleResult(string RuleId, string Description, bool Matched, string? Observed);

/// <summary>A summary of the lead's interactions.</summary>
/// <param name="Total">Number of interactions recorded.</param>
/// <param name="CountsByType">Interactions per event type.</param>
/// <param name="FirstTouch">The first recorded interaction.</param>
/// <param name="LastTouch">The most recent interaction.</param>
/// <param name="Recent">The most recent interactions, newest first.</param>
/// <param name="TopInterests">Topics of interest, most frequent first.</param>
public sealed record InteractionSummary(
    int Total,
    IReadOnlyDictionary<string, int> CountsByType,
    Touch? FirstTouch,
    Touch? LastTouch,
    IReadOnlyList<Touch> Recent,
    IReadOnlyList<Interest> TopInterests)
{
    /// <summary>First- and last-touch attribution (source and campaign).</summary>
    public Attribution? Attribution { get; init; }
}

/// <summary>Where the lead came from (first touch) and what brought it back most recently (last touch).</summary>
/// <param name="FirstSource">The configured source of the first interaction.</param>
/// <param name="FirstCampaign">The campaign of the first interaction.</param>
/// <param name="LastSource">The configured source of the latest interaction.</param>
/// <param name="LastCampaign">The campaign of the latest interaction.</param>
public sealed record Attribution(string? FirstSource, string? FirstCampaign, string? LastSource, string? LastCampaign);

/// <summary>One interaction.</summary>
/// <param name="Type">Canonical event type (e.g. <c>formSubmitted</c>).</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Source">The configured source it came from.</param>
/// <param name="Channel">Channel (web, email, event…).</param>
/// <param name="Name">What was touched (page, form, email, asset).</param>
/// <param name="Url">Where.</param>
/// <param name="Campaign">The campaign it belongs to.</param>
public sealed record Touch(
    string Type,
    DateTimeOffset OccurredAt,
    string Source,
    string? Channel,
    string? Name,
    string? Url,
    string? Campaign);

/// <summary>A topic of interest and how often it came up; interests are ranked by <see cref="Weight"/>.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Count">How many interactions mentioned it.</param>
public sealed record Interest(string Topic, int Count)
{
    /// <summary>Interest strength: each touch weighted by its intent (a meeting more than an opened email) and halved every 30 days.</summary>
    public double? Weight { get; init; }

    /// <summary>When the lead last showed this interest.</summary>
    public DateTimeOffset? LastAt { get; init; }
}

/// <summary>The follow-up terms of the agreement, stamped on the handoff.</summary>
/// <param name="AcceptBy">When sales must have accepted or rejected the lead.</param>
/// <param name="FirstContactBy">When sales must have first contacted the lead.</param>
/// <param name="MaxAttempts">Contact attempts before giving up.</param>
/// <param name="GiveUp">What giving up does: <c>recycle</c> (back to nurture) or <c>disqualify</c>.</param>
public sealed record SlaTerms(DateTimeOffset AcceptBy, DateTimeOffset FirstContactBy, int MaxAttempts, string GiveUp);

/// <summary>Hints for the CRM's assignment rules.</summary>
/// <param name="Country">The lead's country.</param>
/// <param name="CompanySize">The lead's company size.</param>
/// <param name="Source">The configured source the qualifying event came from.</param>
/// <param name="Campaign">The campaign of the first touch.</param>
public sealed record RoutingHints(string? Country, int? CompanySize, string Source, string? Campaign);
