using LeadHandoff.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Handoffs;

/// Sales' side of a handoff: where the stage machine stands, when sales accepted and first reached the lead, how
/// many attempts it took, and every at-risk warning and breach the SLA monitor raised on it (oldest first). The
/// deadlines themselves are the handoff's <c>acceptBy</c> and <c>firstContactBy</c>.
internal sealed record HandoffSalesView(
    string State,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? FirstContactAt,
    int ContactAttempts,
    double? AcceptHours,
    double? FirstContactHours,
    DateTimeOffset? ClosedAt,
    IReadOnlyList<SlaAlertView> Alerts);

/// <param name="Deadline"><c>accept</c> or <c>firstContact</c>.</param>
/// <param name="Kind">An at-risk level of the policy's ladder, or <c>breach</c>.</param>
internal sealed record SlaAlertView(string Deadline, string Kind, DateTimeOffset DueAt, DateTimeOffset RaisedAt)
{
    /// The alerts of a page of handoffs in one query, whatever the page size.
    public static async Task<ILookup<Guid, SlaAlertView>> ForAsync(LeadHandoffDbContext db, IReadOnlyCollection<Guid> handoffIds, CancellationToken cancellationToken)
    {
        if (handoffIds.Count == 0)
        {
            return Array.Empty<(Guid, SlaAlertView)>().ToLookup(a => a.Item1, a => a.Item2);
        }

        var rows = await db.SlaAlerts.AsNoTracking()
            .Where(a => handoffIds.Contains(a.HandoffId))
            .OrderBy(a => a.Id)
            .Select(a => new { a.HandoffId, a.Deadline, a.Kind, a.DueAt, a.RaisedAt })
            .ToListAsync(cancellationToken);
        return rows.ToLookup(
            a => a.HandoffId,
            a => new SlaAlertView(a.Deadline, a.Kind, new DateTimeOffset(a.DueAt, TimeSpan.Zero), new DateTimeOffset(a.RaisedAt, TimeSpan.Zero)));
    }
}
