using LeadHandoff.Api.Leads;
using LeadHandoff.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Sla;

/// The funnel steps of a lead as timeline entries, interleaved with its interactions.
internal static class StageSteps
{
    /// Adds to one page of interactions the stage steps that fall in the same stretch of time: from the page's
    /// oldest interaction (or the beginning, on the last page) up to the interaction the cursor points at (or now,
    /// on the first page). Consecutive pages' stretches meet at the cursor, so each step is shown exactly once.
    public static async Task<IReadOnlyList<TimelineEntry>> MergeAsync(
        LeadHandoffDbContext db,
        Guid leadId,
        long? cursor,
        List<TimelineEntry> page,
        bool hasMore,
        CancellationToken cancellationToken)
    {
        DateTime? upper = null;
        if (cursor is { } before)
        {
            upper = await db.InteractionEvents.AsNoTracking()
                .Where(e => e.Id == before && e.LeadId == leadId)
                .Select(e => (DateTime?)e.OccurredAt)
                .FirstOrDefaultAsync(cancellationToken);
        }

        DateTime? lower = hasMore && page.Count > 0 ? page[^1].OccurredAt.UtcDateTime : null;
        if (upper is { } u && lower > u)
        {
            lower = u;
        }

        var query = db.StageTransitions.AsNoTracking().Where(t => t.LeadId == leadId);
        if (upper is { } to)
        {
            query = query.Where(t => t.At < to);
        }

        if (lower is { } from)
        {
            query = query.Where(t => t.At >= from);
        }

        var steps = await query
            .OrderByDescending(t => t.Id)
            .Select(t => new TimelineEntry(t.Id, "stage", t.Cause, t.At, t.Owner, t.ToStage, null, null, t.Reason ?? (t.FromStage + " -> " + t.ToStage)))
            .ToListAsync(cancellationToken);
        if (steps.Count == 0)
        {
            return page;
        }

        return page.Concat(steps)
            .OrderByDescending(e => e.OccurredAt)
            .ThenByDescending(e => e.Kind == "stage" ? e.Id : 0)
            .ToList();
    }
}
