using LeadHandoff.Api.Persistence;
using LeadHandoff.Domain.Interactions;
using LeadHandoff.Domain.Leads;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Ingestion;

/// Folding one lead record into another once an event proves them one person. Only strong signals lead here (the
/// same normalized email, or the same id in the same system); anything that says "two people" stops it.
internal static class LeadMerger
{
    public static bool CanMerge(LeadState a, LeadState b)
    {
        if (a == b || a.Record.MergedIntoId is not null || b.Record.MergedIntoId is not null)
        {
            return false;
        }

        // Two different addresses are two mailboxes: the identities met through an id, not through the person.
        if (a.Profile.Email is not null && b.Profile.Email is not null)
        {
            return false;
        }

        // A system that keeps them as two records (two ids in one system) knows better than we do.
        foreach (var id in a.Record.ExternalIds)
        {
            if (b.Record.ExternalIds.Exists(x => x.System == id.System && x.Value != id.Value))
            {
                return false;
            }
        }

        return true;
    }

    /// The lead a record became: itself, or the survivor of the merges it went through; null when there is no such
    /// record. Rows keep the id they were written with (handoffs, links handed out), so readers follow it here.
    public static async Task<Guid?> SurvivorAsync(LeadHandoffDbContext db, Guid leadId, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.AsNoTracking().Where(l => l.Id == leadId).Select(l => new { l.Id, l.MergedIntoId }).FirstOrDefaultAsync(cancellationToken);
        for (var hops = 0; lead?.MergedIntoId is { } mergedInto && hops < 8; hops++)
        {
            lead = await db.Leads.AsNoTracking().Where(l => l.Id == mergedInto).Select(l => new { l.Id, l.MergedIntoId }).FirstOrDefaultAsync(cancellationToken);
        }

        return lead?.Id;
    }

    /// The older record survives, so the id handed to CRMs and sellers first stays the lead's id.
    public static (LeadState Winner, LeadState Loser) Order(LeadState a, LeadState b) =>
        a.Record.CreatedAt <= b.Record.CreatedAt ? (a, b) : (b, a);

    /// Profile, stage, last decision and interaction summary of the loser join the winner's; the loser keeps a
    /// pointer to the winner and nothing that identifies a person.
    public static void Absorb(LeadState winner, LeadState loser)
    {
        var lost = loser.Profile;
        loser.Profile = PrivacyErasure.Anonymize(lost);
        winner.Profile = winner.Profile.Merge(
            new ContactData(lost.Email, lost.FirstName, lost.LastName, lost.Phone, lost.Company, lost.JobTitle, lost.CompanySize,
                lost.Website, lost.Country, lost.Industry, lost.Score, ContactData.NoValues, lost.CustomFields),
            lost.AsOf ?? DateTimeOffset.MinValue);

        // The decision travels with the stage it explains: a stage taken from the loser keeps the loser's decision
        // (a policy's disqualification stays one that a re-evaluation may reconsider; a handoff stays one sales owns).
        if (winner.Stage == LeadStage.Lead && loser.Stage != LeadStage.Lead)
        {
            winner.Stage = loser.Stage;
            winner.LastDecision = loser.LastDecision ?? winner.LastDecision;
        }

        winner.Record.Cycle = Math.Max(winner.Record.Cycle, loser.Record.Cycle);
        if (winner.LastDecision is null && loser.LastDecision is not null)
        {
            winner.LastDecision = loser.LastDecision;
        }

        winner.Stats.Absorb(loser.Stats);
        loser.Record.MergedIntoId = winner.Record.Id;
    }
}
