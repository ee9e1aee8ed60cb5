using LeadHandoff.Api.Errors;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Telemetry;
using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Interactions;
using LeadHandoff.Domain.Leads;
using LeadHandoff.Domain.Qualification;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Policy;

/// <param name="LeadId">A stored lead whose profile and history are the starting point.</param>
/// <param name="Lead">Profile fields, merged over the stored lead's (or the whole profile of a hypothetical lead).</param>
/// <param name="Interactions">Interactions added to the history, in any order.</param>
/// <param name="Stage"><c>lead</c> or <c>nurture</c> (re-qualification); defaults to the stored lead's stage.</param>
/// <param name="AsOf">The instant of the decision (windows and decay are relative to it); defaults to now.</param>
/// <param name="Policy">A candidate policy (YAML or JSON text) to use instead of the one in force.</param>
internal sealed record SimulateRequest(
    Guid? LeadId,
    SimulatedLead? Lead,
    IReadOnlyList<SimulatedInteraction>? Interactions,
    string? Stage,
    DateTimeOffset? AsOf,
    string? Policy);

internal sealed record SimulatedLead(
    string? Email,
    string? FirstName,
    string? LastName,
    string? Company,
    string? JobTitle,
    int? CompanySize,
    string? Website,
    string? Country,
    string? Industry,
    int? Score,
    Dictionary<string, string>? CustomFields);

internal sealed record SimulatedInteraction(
    string? Type,
    DateTimeOffset? OccurredAt,
    string? Channel,
    string? Name,
    string? Url,
    string? Campaign,
    IReadOnlyList<string>? Topics);

internal sealed record SimulationResult(
    string PolicyVersion,
    bool CandidatePolicy,
    string Outcome,
    string StageBefore,
    string Stage,
    bool HandOff,
    IReadOnlyList<RuleVerdict> Rules,
    ScoreView Scores,
    IReadOnlyList<RankedInterest> Interests,
    Attribution Attribution,
    string Summary);

internal sealed record ScoreView(int Fit, int Engagement, string? Grade, IReadOnlyDictionary<string, int> FitPoints)
{
    public static ScoreView Of(ScoreCard scores) =>
        new(scores.Fit, scores.Engagement, scores.Grade, scores.FitPoints.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
}

/// Evaluates a lead against the policy in force or a candidate, without writing anything: the same Domain
/// functions as ingestion, on a copy of the stored state.
internal static class PolicySimulation
{
    public const int MaxInteractions = 10_000;

    private const string CandidateOrigin = "candidate policy";

    public static async Task<Results<Ok<SimulationResult>, ValidationProblem, ProblemHttpResult>> SimulateAsync(
        SimulateRequest request,
        PolicyProvider policies,
        LeadHandoffDbContext db,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        using var activity = LeadHandoffTelemetry.Source.StartActivity("policy simulate");
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var policy = policies.Current;
        if (request.Policy is { } candidate)
        {
            var loaded = PolicyFile.Parse(candidate, CandidateOrigin, directory: null, compileRegexes: false);
            if (loaded.Policy is null)
            {
                errors["policy"] = [.. loaded.Errors];
            }
            else
            {
                policy = loaded.Policy;
            }
        }

        if (request.LeadId is null && request.Lead is null)
        {
            errors["lead"] = ["Send a lead profile, a leadId, or both."];
        }

        LeadStage? stage = null;
        if (request.Stage is { } stageName)
        {
            if (Enum.TryParse<LeadStage>(stageName, ignoreCase: true, out var parsed) && parsed is LeadStage.Lead or LeadStage.Nurture)
            {
                stage = parsed;
            }
            else
            {
                errors["stage"] = ["Must be lead or nurture."];
            }
        }

        var interactions = request.Interactions ?? [];
        if (interactions.Count > MaxInteractions)
        {
            errors["interactions"] = [$"At most {MaxInteractions} interactions."];
        }

        var asOf = request.AsOf ?? time.GetUtcNow();
        var events = new List<LeadEvent>(interactions.Count);
        for (var i = 0; i < interactions.Count && interactions.Count <= MaxInteractions; i++)
        {
            var item = interactions[i];
            if (!EventTypes.TryParse(item.Type, out var type))
            {
                errors[$"interactions[{i}].type"] = [$"'{item.Type}' is not one of {string.Join(", ", EventTypes.All)}."];
                continue;
            }

            events.Add(new LeadEvent(
                $"simulated-{i}",
                type,
                item.OccurredAt ?? asOf,
                NoContact,
                new InteractionData(item.Channel, item.Name, item.Url, item.Campaign, item.Topics ?? [])));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Nothing was evaluated.");
        }

        var profile = LeadProfile.Empty;
        var stats = new InteractionStats();
        var stageBefore = LeadStage.Lead;
        if (request.LeadId is { } leadId)
        {
            var record = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == leadId, cancellationToken);
            if (record is null)
            {
                return Problems.Problem(StatusCodes.Status404NotFound, Problems.NotFound, "Lead not found.");
            }

            var stored = LeadState.Existing(record);
            (profile, stats, stageBefore) = (stored.Profile, stored.Stats, stored.Stage);
        }

        if (request.Lead is { } lead)
        {
            profile = profile.Merge(
                new ContactData(
                    lead.Email, lead.FirstName, lead.LastName, null, lead.Company, lead.JobTitle, lead.CompanySize,
                    lead.Website, lead.Country, lead.Industry, lead.Score, ContactData.NoValues, lead.CustomFields ?? ContactData.NoValues),
                asOf);
        }

        foreach (var leadEvent in events)
        {
            stats.Record(leadEvent, "simulation");
        }

        var evaluatedStage = stage ?? stageBefore;
        var facts = new LeadFacts(profile, stats, asOf) { LeadId = request.LeadId };
        var decision = Qualifier.Evaluate(policy, facts, requalifying: evaluatedStage == LeadStage.Nurture);
        var step = QualificationStep.Next(policy, evaluatedStage, facts);
        var outcome = decision.Outcome.ToString().ToLowerInvariant();

        activity?.SetTag("leadhandoff.policy.version", policy.Version);
        activity?.SetTag("leadhandoff.policy.candidate", request.Policy is not null);
        activity?.SetTag("leadhandoff.decision.outcome", outcome);
        LeadHandoffTelemetry.PolicySimulations.Add(1, new("outcome", outcome), new("candidate", request.Policy is not null));
        loggers.CreateLogger(typeof(PolicySimulation)).PolicySimulated(policy.Version, request.Policy is not null, outcome, events.Count);

        return TypedResults.Ok(new SimulationResult(
            policy.Version,
            request.Policy is not null,
            outcome,
            LeadStages.Name(evaluatedStage),
            LeadStages.Name(step.Stage),
            step.HandOff,
            decision.Rules,
            ScoreView.Of(decision.Scores),
            stats.TopInterests(10, asOf),
            Attribution.Of(stats),
            SellerSummary.Write(profile, stats, asOf, decision.Scores.Grade)));
    }

    private static readonly ContactData NoContact = new(
        null, null, null, null, null, null, null, null, null, null, null, ContactData.NoValues, ContactData.NoValues);
}
