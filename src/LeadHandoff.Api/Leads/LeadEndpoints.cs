using System.Text.Json;
using LeadHandoff.Api.Errors;
using LeadHandoff.Api.Json;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Sla;
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
    InteractionStats Interactions,
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

    private static async Task<Results<Ok<LeadView>, ProblemHttpResult>> GetAsync(Guid leadId, LeadHandoffDbContext db, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.AsNoTracking().Include(l => l.ExternalIds).FirstOrDefaultAsync(l => l.Id == leadId, cancellationToken);
        return lead is null ? LeadNotFound() : TypedResults.Ok(ToView(lead));
    }

    private static async Task<Results<Ok<LeadView>, ValidationProblem, ProblemHttpResult>> FindByEmailAsync(
        string? email, LeadHandoffDbContext db, CancellationToken cancellationToken)
    {
        var normalized = EmailAddress.Normalize(email);
        if (normalized is null)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["email"] = ["Required."] });
        }

        var lead = await db.Leads.AsNoTracking().Include(l => l.ExternalIds).FirstOrDefaultAsync(l => l.Email == normalized, cancellationToken);
        return lead is null ? LeadNotFound() : TypedResults.Ok(ToView(lead));
    }

    private static async Task<Results<Ok<TimelinePage>, ValidationProblem, ProblemHttpResult>> TimelineAsync(
        Guid leadId, long? cursor, int? limit, LeadHandoffDbContext db, CancellationToken cancellationToken)
    {
        var size = limit ?? 50;
        if (size is < 1 or > 500)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["limit"] = ["Must be between 1 and 500."] });
        }

        var query = db.InteractionEvents.AsNoTracking().Where(e => e.LeadId == leadId);
        if (cursor is { } before)
        {
            query = query.Where(e => e.Id < before);
        }

        var rows = await query.OrderByDescending(e => e.Id).Take(size + 1)
            .Select(e => new TimelineEntry(e.Id, "interaction", e.Type, e.OccurredAt, e.SourceId, e.Name, e.Url, e.Campaign, null))
            .ToListAsync(cancellationToken);

        // Only an empty page needs to know whether the lead exists at all.
        if (rows.Count == 0 && !await db.Leads.AnyAsync(l => l.Id == leadId, cancellationToken))
        {
            return LeadNotFound();
        }

        var next = rows.Count > size ? rows[size - 1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        var items = await StageSteps.MergeAsync(db, leadId, cursor, rows.Take(size).ToList(), rows.Count > size, cancellationToken);
        return TypedResults.Ok(new TimelinePage(items, next));
    }

    private static ProblemHttpResult LeadNotFound() =>
        Problems.Problem(StatusCodes.Status404NotFound, Problems.NotFound, "Lead not found.");

    private static LeadView ToView(LeadRecord lead) => new(
        lead.Id,
        lead.Stage,
        lead.Cycle,
        new LeadProfileView(
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
            JsonSerializer.Deserialize(lead.CustomFieldsJson, StorageJson.Default.DictionaryStringString) ?? []),
        lead.Score,
        lead.ExternalIds.ToDictionary(x => x.System, x => x.Value, StringComparer.Ordinal),
        lead.LastDecisionJson is null ? null : JsonSerializer.Deserialize(lead.LastDecisionJson, StorageJson.Default.StoredDecision),
        JsonSerializer.Deserialize(lead.StatsJson, StorageJson.Default.InteractionStats) ?? new InteractionStats(),
        lead.CreatedAt,
        lead.UpdatedAt);
}
