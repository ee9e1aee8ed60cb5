using LeadHandoff.Api.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Handoffs;

/// Where a CRM adapter landed the handoff, or its last failure.
internal sealed record HandoffDeliveryView(
    string Crm,
    string? CrmRecordId,
    DateTimeOffset? DeliveredAt,
    string? LastFailure,
    bool? LastFailureRetryable,
    DateTimeOffset? LastFailedAt)
{
    public static async Task<IReadOnlyList<HandoffDeliveryView>> ForAsync(LeadHandoffDbContext db, Guid handoffId, CancellationToken cancellationToken)
    {
        var rows = await db.HandoffDeliveries.AsNoTracking()
            .Where(d => d.HandoffId == handoffId)
            .OrderBy(d => d.Crm)
            .ToListAsync(cancellationToken);
        return rows.Select(d => new HandoffDeliveryView(
                d.Crm,
                d.CrmRecordId,
                d.DeliveredAt is { } delivered ? new DateTimeOffset(delivered, TimeSpan.Zero) : null,
                d.LastFailure,
                d.LastFailureRetryable,
                d.LastFailedAt is { } failed ? new DateTimeOffset(failed, TimeSpan.Zero) : null))
            .ToList();
    }
}
