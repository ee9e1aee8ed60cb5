using System.Text.Json;
using LeadHandoff.Api.Errors;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Json;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Domain.Interactions;
using LeadHandoff.Domain.Leads;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Leads;

internal sealed record LeadView(
    Guid Id,
    string Stage,
    int Cycle,
    LeadProfileView Profile,
    int? Score,
    IReadOnlyDictionary<string, string> ExternalIds,
    StoredDecision? LastDecision,
    InteractionsView Interactions,
    IReadOnlyList<RankedInterest> Interests,
    Attribution Attribution,
    string Summary,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

internal sealed record LeadProfileView(
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
    IReadOnlyDictionary<string, string> CustomFields);

/// The running summary without the engagement buckets kept for rules (they are an implementation detail and large).
internal sealed record InteractionsView(
    int Total,
    IReadOnlyDictionary<string, int> CountsByType,
    TouchPoint? FirstTouch,
    TouchPoint? LastTouch,
    IReadOnlyList<TouchPoint> Recent);

internal sealed record TimelineEntry(long Id, string Kind, string Type, DateTimeOffset OccurredAt, string? Source, string? Name, string? Url, string? Campaign, string? Detail);

internal sealed record TimelinePage(IReadOnlyList<TimelineEntry> Items, string? NextCursor);

internal static class LeadEndpoints
{
    public static IEndpointRouteBuilder MapLeads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/leads").WithTags("Leads");
        group.MapGet("/{leadId:guid}", GetAsync).WithName("GetLead").WithSummary("A lead's profile, stage, scores, external ids, last decision and interaction summary");
        group.MapGet("/", FindByEmailAsync).WithName("FindLeadByEmail").WithSummary("The lead with this email address");
        group.MapGet("/{leadId:guid}/timeline", TimelineAsync).WithName("GetLeadTimeline").WithSummary("Interactions and decisions, newest first, paged");
        return app;
    }

    private static async Task<Results<Ok<LeadView>, ProblemHttpResult>> GetAsync(
        Guid leadId, LeadHandoffDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.AsNoTracking().Include(l => l.ExternalIds).FirstOrDefaultAsync(l => l.Id == leadId, cancellationToken);

        // A record merged into another answers with the lead it became (its id tells the caller).
        for (var hops = 0; lead?.MergedIntoId is { } mergedInto && hops < 8; hops++)
        {
            lead = await db.Leads.AsNoTracking().Include(l => l.ExternalIds).FirstOrDefaultAsync(l => l.Id == mergedInto, cancellationToken);
        }

        return lead is null ? LeadNotFound() : TypedResults.Ok(ToView(lead, time.GetUtcNow()));
    }

    private static async Task<Results<Ok<LeadView>, ValidationProblem, ProblemHttpResult>> FindByEmailAsync(
        string? email, LeadHandoffDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var normalized = EmailAddress.Normalize(email);
        if (normalized is null)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["email"] = ["Required."] });
        }

        var lead = await db.Leads.AsNoTracking().Include(l => l.ExternalIds).FirstOrDefaultAsync(l => l.Email == normalized, cancellationToken);
        return lead is null ? LeadNotFound() : TypedResults.Ok(ToView(lead, time.GetUtcNow()));
    }

    /// Interactions, decisions and funnel stage steps, newest first. Each stream is read page by page with one
    /// indexed query and the three are merged by when they were recorded; the cursor holds every position
    /// (<c>i{id}.d{id}.s{id}</c>). The id of a lead merged into another reads the survivor's timeline.
    private static async Task<Results<Ok<TimelinePage>, ValidationProblem, ProblemHttpResult>> TimelineAsync(
        Guid leadId, string? cursor, int? limit, LeadHandoffDbContext db, CancellationToken cancellationToken)
    {
        var size = limit ?? 50;
        if (size is < 1 or > 500)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["limit"] = ["Must be between 1 and 500."] });
        }

        var (beforeInteraction, beforeDecision, beforeStep) = (long.MaxValue, long.MaxValue, long.MaxValue);
        if (cursor is not null && !TryParseCursor(cursor, out beforeInteraction, out beforeDecision, out beforeStep))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["cursor"] = ["Not a cursor returned by this endpoint."] });
        }

        // A record merged into another answers with the timeline of the lead it became, where its history moved.
        var survivor = await LeadMerger.SurvivorAsync(db, leadId, cancellationToken);
        if (survivor is not { } survivorId)
        {
            return LeadNotFound();
        }

        if (survivorId != leadId)
        {
            System.Diagnostics.Activity.Current?.SetTag("leadhandoff.lead.merged_into", survivorId);
            leadId = survivorId;
        }

        var interactions = await db.InteractionEvents.AsNoTracking()
            .Where(e => e.LeadId == leadId && e.Id < beforeInteraction)
            .OrderByDescending(e => e.Id).Take(size + 1)
            .Select(e => new { e.Id, e.Type, e.OccurredAt, e.ReceivedAt, e.SourceId, e.Name, e.Url, e.Campaign })
            .ToListAsync(cancellationToken);
        var decisions = await db.Decisions.AsNoTracking()
            .Where(d => d.LeadId == leadId && d.Id < beforeDecision)
            .OrderByDescending(d => d.Id).Take(size + 1)
            .Select(d => new { d.Id, d.Outcome, d.PolicyVersion, d.RulesJson, d.DecidedAt })
            .ToListAsync(cancellationToken);
        var steps = await db.StageTransitions.AsNoTracking()
            .Where(t => t.LeadId == leadId && t.Id < beforeStep)
            .OrderByDescending(t => t.Id).Take(size + 1)
            .Select(t => new TimelineEntry(t.Id, "stage", t.Cause, t.At, t.Owner, t.ToStage, null, null, t.Reason ?? (t.FromStage + " -> " + t.ToStage)))
            .ToListAsync(cancellationToken);

        // A merge that keeps each stream in id order, so that what a page consumed is a prefix of each stream and
        // the cursor's positions lose nothing, even where two writers' commit order and clocks disagree.
        var merged = new List<TimelineEntry>(size + 1);
        int i = 0, j = 0, k = 0;
        while (merged.Count <= size && (i < interactions.Count || j < decisions.Count || k < steps.Count))
        {
            var interactionAt = i < interactions.Count ? interactions[i].ReceivedAt : DateTime.MinValue;
            var decisionAt = j < decisions.Count ? decisions[j].DecidedAt : DateTime.MinValue;
            var stepAt = k < steps.Count ? steps[k].OccurredAt.UtcDateTime : DateTime.MinValue;
            if (k < steps.Count && stepAt >= decisionAt && stepAt >= interactionAt)
            {
                merged.Add(steps[k++]);
            }
            else if (j < decisions.Count && decisionAt >= interactionAt)
            {
                var d = decisions[j++];
                merged.Add(new TimelineEntry(d.Id, "decision", d.Outcome, d.DecidedAt, null, d.PolicyVersion, null, null, DecisionDetail(d.Outcome, d.RulesJson)));
            }
            else
            {
                var e = interactions[i++];
                merged.Add(new TimelineEntry(e.Id, "interaction", e.Type, e.OccurredAt, e.SourceId, e.Name, e.Url, e.Campaign, null));
            }
        }

        string? next = null;
        if (merged.Count > size)
        {
            var page = merged.Take(size).ToList();
            var lastInteraction = page.LastOrDefault(e => e.Kind == "interaction")?.Id ?? beforeInteraction;
            var lastDecision = page.LastOrDefault(e => e.Kind == "decision")?.Id ?? beforeDecision;
            var lastStep = page.LastOrDefault(e => e.Kind == "stage")?.Id ?? beforeStep;
            next = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"i{lastInteraction}.d{lastDecision}.s{lastStep}");
            merged = page;
        }

        return TypedResults.Ok(new TimelinePage(merged, next));
    }

    /// The rules that decided: those that matched for a qualification or a disqualification, the unmet ones otherwise.
    private static string DecisionDetail(string outcome, string rulesJson)
    {
        var rules = JsonSerializer.Deserialize(rulesJson, StorageJson.Default.IReadOnlyListStoredVerdict) ?? [];
        var deciding = outcome == "notyet" ? rules.Where(r => !r.Matched) : rules.Where(r => r.Matched);
        return (outcome == "notyet" ? "unmet: " : "rules: ") + string.Join(", ", deciding.Select(r => r.RuleId));
    }

    private static bool TryParseCursor(string cursor, out long beforeInteraction, out long beforeDecision, out long beforeStep)
    {
        (beforeInteraction, beforeDecision, beforeStep) = (0, 0, 0);
        var parts = cursor.Split('.');
        return parts.Length == 3 && parts[0].StartsWith('i') && parts[1].StartsWith('d') && parts[2].StartsWith('s')
            && long.TryParse(parts[0].AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out beforeInteraction)
            && long.TryParse(parts[1].AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out beforeDecision)
            && long.TryParse(parts[2].AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out beforeStep);
    }

    private static ProblemHttpResult LeadNotFound() =>
        Problems.Problem(StatusCodes.Status404NotFound, Problems.NotFound, "Lead not found.");

    private static LeadView ToView(LeadRecord lead, DateTimeOffset now)
    {
        var stats = JsonSerializer.Deserialize(lead.StatsJson, StorageJson.Default.InteractionStats) ?? new InteractionStats();
        var decision = lead.LastDecisionJson is null ? null : JsonSerializer.Deserialize(lead.LastDecisionJson, StorageJson.Default.StoredDecision);
        var profile = new LeadProfileView(
            lead.Email,
            lead.FirstName,
            lead.LastName,
            lead.Phone,
            lead.Company,
            lead.JobTitle,
            lead.CompanySize,
            lead.Website,
            lead.Country,
            lead.Industry,
            JsonSerializer.Deserialize(lead.CustomFieldsJson, StorageJson.Default.DictionaryStringString) ?? []);
        var domainProfile = new LeadProfile(
            lead.Email, lead.FirstName, lead.LastName, lead.Phone, lead.Company, lead.JobTitle, lead.CompanySize,
            lead.Website, lead.Country, lead.Industry, lead.Score, profile.CustomFields, null);
        return new LeadView(
            lead.Id,
            lead.Stage,
            lead.Cycle,
            profile,
            lead.Score,
            lead.ExternalIds.ToDictionary(x => x.System, x => x.Value, StringComparer.Ordinal),
            decision,
            new InteractionsView(stats.Total, stats.CountsByType, stats.FirstTouch, stats.LastTouch, stats.Recent),
            stats.TopInterests(InterestCount, now),
            Attribution.Of(stats),
            SellerSummary.Write(domainProfile, stats, now, decision?.Scores?.Grade),
            lead.CreatedAt,
            lead.UpdatedAt);
    }

    private const int InterestCount = 10;
}
