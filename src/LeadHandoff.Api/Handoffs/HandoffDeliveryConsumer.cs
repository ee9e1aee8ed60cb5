using System.Diagnostics;
using System.Diagnostics.Metrics;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Telemetry;
using LeadHandoff.Contracts.V1;
using LeadHandoff.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Handoffs;

/// The loop back from the CRM adapters: records where each handoff landed (or why not) and moves a handoff that is
/// still <c>pending</c> or <c>published</c> to <c>delivered</c>. Sales' later statuses are never overwritten; a late
/// confirmation only fills in the delivery row. Results arriving together are written in one transaction.
internal sealed class HandoffDeliveryConsumer(
    LeadHandoffDbContext db,
    StorageWriteGate writeGate,
    TimeProvider time,
    ILogger<HandoffDeliveryConsumer> logger)
    : IConsumer<Batch<HandoffDelivered>>, IConsumer<Batch<HandoffDeliveryFailed>>
{
    private static readonly Meter Meter = new(ServiceDefaultsExtensions.TelemetryName);

    private static readonly Counter<long> Recorded = Meter.CreateCounter<long>(
        "leadhandoff.handoffs.delivery_results", "{result}", "Delivery results from CRM adapters recorded, per outcome.");

    public async Task Consume(ConsumeContext<Batch<HandoffDelivered>> context)
    {
        var messages = context.Message.Select(m => m.Message).ToList();
        using var activity = LeadHandoffTelemetry.Source.StartActivity("handoff deliveries record", ActivityKind.Consumer);
        activity?.SetTag("leadhandoff.result_count", messages.Count);
        var now = time.GetUtcNow().UtcDateTime;

        using var turn = await writeGate.EnterAsync(context.CancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
        var rows = await LoadAsync(messages.Select(m => m.HandoffId), context.CancellationToken);
        var delivered = new HashSet<Guid>();
        foreach (var message in messages)
        {
            if (Row(rows, message.HandoffId, message.Crm, now) is not { } row)
            {
                continue;
            }

            row.CrmRecordId = message.CrmRecordId;
            row.DeliveredAt ??= message.DeliveredAt.UtcDateTime;
            if (row.LastFailedAt <= message.DeliveredAt.UtcDateTime)
            {
                // A failure the delivery came after (a re-drive, a replay) is over: the handoff is not both.
                row.LastFailure = null;
                row.LastFailureRetryable = null;
            }

            row.UpdatedAt = now;
            delivered.Add(message.HandoffId);
            logger.DeliveryRecorded(message.HandoffId, message.Crm, message.CrmRecordId);
        }

        await db.SaveChangesAsync(context.CancellationToken);
        if (delivered.Count > 0)
        {
            await db.Handoffs
                .Where(h => delivered.Contains(h.Id) && (h.Status == HandoffStatus.Pending || h.Status == HandoffStatus.Published))
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.Status, HandoffStatus.Delivered).SetProperty(h => h.UpdatedAt, now), context.CancellationToken);
        }

        await transaction.CommitAsync(context.CancellationToken);
        Recorded.Add(delivered.Count, new TagList { { "outcome", "delivered" } });
    }

    public async Task Consume(ConsumeContext<Batch<HandoffDeliveryFailed>> context)
    {
        var messages = context.Message.Select(m => m.Message).ToList();
        using var activity = LeadHandoffTelemetry.Source.StartActivity("handoff delivery failures record", ActivityKind.Consumer);
        activity?.SetTag("leadhandoff.result_count", messages.Count);
        var now = time.GetUtcNow().UtcDateTime;

        using var turn = await writeGate.EnterAsync(context.CancellationToken);
        var rows = await LoadAsync(messages.Select(m => m.HandoffId), context.CancellationToken);
        var recorded = 0;
        foreach (var message in messages)
        {
            if (Row(rows, message.HandoffId, message.Crm, now) is not { } row)
            {
                continue;
            }

            if (row.DeliveredAt >= message.FailedAt.UtcDateTime)
            {
                // Results of two deliveries of one handoff can arrive in either order; the later one stands.
                continue;
            }

            row.LastFailure = message.Reason.Length <= 500 ? message.Reason : message.Reason[..500];
            row.LastFailureRetryable = message.Retryable;
            row.LastFailedAt = message.FailedAt.UtcDateTime;
            row.UpdatedAt = now;
            recorded++;
            logger.DeliveryFailureRecorded(message.HandoffId, message.Crm, message.Reason, message.Retryable);
        }

        await db.SaveChangesAsync(context.CancellationToken);
        Recorded.Add(recorded, new TagList { { "outcome", "failed" } });
    }

    /// The delivery rows of the batch's handoffs, keyed by handoff; a handoff this database does not hold (another
    /// environment sharing the broker) has no entry and its results are skipped.
    private async Task<Dictionary<Guid, List<HandoffDeliveryRecord>>> LoadAsync(IEnumerable<Guid> handoffIds, CancellationToken cancellationToken)
    {
        var ids = handoffIds.Distinct().ToList();
        var known = await db.Handoffs.Where(h => ids.Contains(h.Id)).Select(h => h.Id).ToListAsync(cancellationToken);
        var existing = await db.HandoffDeliveries.Where(d => ids.Contains(d.HandoffId)).ToListAsync(cancellationToken);
        return known.ToDictionary(id => id, id => existing.Where(d => d.HandoffId == id).ToList());
    }

    private HandoffDeliveryRecord? Row(Dictionary<Guid, List<HandoffDeliveryRecord>> rows, Guid handoffId, string crm, DateTime now)
    {
        if (!rows.TryGetValue(handoffId, out var forHandoff))
        {
            logger.DeliveryForUnknownHandoff(handoffId, crm);
            return null;
        }

        var row = forHandoff.FirstOrDefault(d => string.Equals(d.Crm, crm, StringComparison.Ordinal));
        if (row is null)
        {
            row = new HandoffDeliveryRecord { HandoffId = handoffId, Crm = crm, UpdatedAt = now };
            db.HandoffDeliveries.Add(row);
            forHandoff.Add(row);
        }

        return row;
    }
}

internal sealed class HandoffDeliveryConsumerDefinition : ConsumerDefinition<HandoffDeliveryConsumer>
{
    public HandoffDeliveryConsumerDefinition()
    {
        EndpointName = "handoff-delivery-results";
        Endpoint(e => e.PrefetchCount = 128);
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<HandoffDeliveryConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // Two replicas inserting the same (handoff, CRM) row collide on its key; the retry finds the row and updates it.
        endpointConfigurator.UseMessageRetry(r => r.Exponential(8, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)));
        consumerConfigurator.Options<BatchOptions>(o => o.SetMessageLimit(100).SetTimeLimit(TimeSpan.FromMilliseconds(50)).SetConcurrencyLimit(1));
    }
}

internal static partial class HandoffDeliveryLog
{
    [LoggerMessage(6001, LogLevel.Information, "Handoff {HandoffId} delivered to {Crm} as record {CrmRecordId}")]
    public static partial void DeliveryRecorded(this ILogger logger, Guid handoffId, string crm, string crmRecordId);

    [LoggerMessage(6002, LogLevel.Warning, "Handoff {HandoffId} not delivered to {Crm}: {Reason} (retryable: {Retryable})")]
    public static partial void DeliveryFailureRecorded(this ILogger logger, Guid handoffId, string crm, string reason, bool retryable);

    [LoggerMessage(6003, LogLevel.Warning, "A delivery result from {Crm} names handoff {HandoffId}, which this database does not hold; skipped")]
    public static partial void DeliveryForUnknownHandoff(this ILogger logger, Guid handoffId, string crm);
}

internal static class HandoffDeliveryExtensions
{
    public static IBusRegistrationConfigurator AddHandoffDeliveryResults(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<HandoffDeliveryConsumer, HandoffDeliveryConsumerDefinition>();
        return bus;
    }
}
