using LeadHandoff.Api.Handoffs;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Domain.Leads;
using LeadHandoff.Domain.Stages;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Sla;

/// Writes one step of the stage machine: the lead's stage (a recycle opens its next cycle) and the transition row.
/// Called inside the caller's transaction, after the handoff's own conditional update succeeded.
internal static class HandoffSteps
{
    private static readonly Dictionary<string, HandoffState> States = Enum.GetValues<HandoffState>()
        .ToDictionary(HandoffStates.Name, s => s, StringComparer.Ordinal);

    public static HandoffState ParseState(string name) => States[name];

    /// What GET /v1/handoffs shows; while sales has not answered, the publication and delivery status stays.
    public static string Status(HandoffState state, string current) => state switch
    {
        HandoffState.AwaitingAcceptance => current,
        HandoffState.GivenUp => HandoffStatus.Breached,
        _ => HandoffStates.Name(state),
    };

    public static async Task RecordAsync(
        LeadHandoffDbContext db,
        Guid leadId,
        Guid handoffId,
        Moved moved,
        string cause,
        string? reason,
        Guid? feedbackId,
        DateTime at,
        CancellationToken cancellationToken)
    {
        var from = LeadStages.Name(moved.From);
        var to = LeadStages.Name(moved.To);

        // A handoff keeps the id of the lead it was made for; if that record was merged into another since, the
        // step belongs to the lead it became.
        leadId = await LeadMerger.SurvivorAsync(db, leadId, cancellationToken) ?? leadId;

        if (moved.StageChanged)
        {
            var nextCycle = moved.To == LeadStage.Nurture ? 1 : 0;
            await db.Leads.Where(l => l.Id == leadId).ExecuteUpdateAsync(
                s => s.SetProperty(l => l.Stage, to)
                    .SetProperty(l => l.StageChangedAt, at)
                    .SetProperty(l => l.UpdatedAt, at)
                    .SetProperty(l => l.Cycle, l => l.Cycle + nextCycle)
                    .SetProperty(l => l.Version, l => l.Version + 1),
                cancellationToken);
        }

        db.StageTransitions.Add(new StageTransitionRecord
        {
            LeadId = leadId,
            HandoffId = handoffId,
            FromStage = from,
            ToStage = to,
            Owner = moved.Owner == StageOwner.Sales ? "sales" : "marketing",
            Cause = cause,
            Reason = reason,
            FeedbackId = feedbackId,
            At = at,
        });
    }
}
