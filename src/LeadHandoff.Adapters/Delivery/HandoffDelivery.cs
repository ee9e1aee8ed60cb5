using System.Diagnostics;
using LeadHandoff.Contracts.V1;
using MassTransit;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace LeadHandoff.Adapters.Delivery;

/// The outcome of one handoff in a CRM call: its record id, or why the CRM refused it for good.
internal sealed record DeliveryResult(Guid HandoffId, string? CrmRecordId, string? RefusedReason)
{
    public static DeliveryResult Landed(Guid handoffId, string crmRecordId) => new(handoffId, crmRecordId, null);

    public static DeliveryResult Refused(Guid handoffId, string reason) => new(handoffId, null, reason);
}

/// What every adapter does around its CRM call: a span, the loop-back messages, metrics and logs, and the split
/// between failures worth retrying (thrown, so MassTransit retries and finally dead-letters) and refusals.
internal static class HandoffDelivery
{
    public static async Task RunAsync(
        ConsumeContext context,
        string crm,
        IReadOnlyList<LeadHandoffRequested> handoffs,
        int messageRetries,
        TimeProvider time,
        ILogger logger,
        Func<CancellationToken, Task<IReadOnlyList<DeliveryResult>>> deliver)
    {
        using var activity = CrmTelemetry.Source.StartActivity($"crm deliver {crm}", ActivityKind.Internal);
        activity?.SetTag("leadhandoff.crm", crm);
        activity?.SetTag("leadhandoff.handoff_count", handoffs.Count);
        if (handoffs.Count == 1)
        {
            activity?.SetTag("leadhandoff.handoff_id", handoffs[0].HandoffId);
        }

        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<DeliveryResult> results;
        try
        {
            results = await deliver(context.CancellationToken);
        }
        catch (Exception ex) when (Classify(ex) is { } failure)
        {
            var attempt = context.GetRetryAttempt();
            var final = !failure.Retryable || attempt >= messageRetries;
            activity?.SetStatus(ActivityStatusCode.Error, failure.Reason);
            var now = time.GetUtcNow();
            // Until the last attempt the whole batch is redone (every CRM call is an upsert); at the last one, the
            // handoffs that did land are reported delivered and only the others failed.
            var settled = final ? failure.Settled : [];
            var unsettled = handoffs.Where(h => !settled.Any(s => s.HandoffId == h.HandoffId)).ToList();
            CrmTelemetry.Deliveries.Add(unsettled.Count, CrmTelemetry.Tags(crm, final ? "failed" : "retrying", failure.Reason));
            await ReportAsync(context, crm, handoffs, settled, now, logger);
            foreach (var handoff in unsettled)
            {
                if (final)
                {
                    logger.Failed(handoff.HandoffId, crm, failure.Reason);
                    await context.Publish(
                        new HandoffDeliveryFailed(handoff.HandoffId, crm, failure.Reason, failure.Retryable, now),
                        context.CancellationToken);
                }
                else
                {
                    logger.Retrying(handoff.HandoffId, crm, attempt + 1, failure.Reason);
                }
            }

            if (ReferenceEquals(failure, ex))
            {
                throw;
            }

            throw failure;
        }

        CrmTelemetry.DeliveryDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new TagList { { "crm", crm } });
        await ReportAsync(context, crm, handoffs, results, time.GetUtcNow(), logger);
    }

    /// The loop-back messages, metrics and logs of each handoff's outcome.
    private static async Task ReportAsync(
        ConsumeContext context, string crm, IReadOnlyList<LeadHandoffRequested> handoffs, IReadOnlyList<DeliveryResult> results, DateTimeOffset deliveredAt, ILogger logger)
    {
        foreach (var result in results)
        {
            if (result.CrmRecordId is { } recordId)
            {
                logger.Delivered(result.HandoffId, crm, recordId);
                CrmTelemetry.Deliveries.Add(1, CrmTelemetry.Tags(crm, "delivered"));
                var handoff = handoffs.FirstOrDefault(h => h.HandoffId == result.HandoffId);
                if (handoff is not null)
                {
                    CrmTelemetry.HandoffAge.Record((deliveredAt - handoff.OccurredAt).TotalMilliseconds, new TagList { { "crm", crm } });
                }

                await context.Publish(new HandoffDelivered(result.HandoffId, crm, recordId, deliveredAt), context.CancellationToken);
            }
            else
            {
                var reason = result.RefusedReason ?? "refused";
                logger.Failed(result.HandoffId, crm, reason);
                CrmTelemetry.Deliveries.Add(1, CrmTelemetry.Tags(crm, "failed", reason));
                await context.Publish(new HandoffDeliveryFailed(result.HandoffId, crm, reason, false, deliveredAt), context.CancellationToken);
            }
        }
    }

    /// What a failed CRM call means for delivery: a reason and whether retrying may help; null when it is not a CRM
    /// failure at all (a bug), which MassTransit handles as any other exception.
    internal static CrmDeliveryException? Classify(Exception ex) => ex switch
    {
        CrmDeliveryException crm => crm,
        BrokenCircuitException => CrmDeliveryException.Transient("circuit_open", ex),
        RateLimiterRejectedException => CrmDeliveryException.Transient("rate_limited", ex),
        TimeoutRejectedException => CrmDeliveryException.Transient("timeout", ex),
        HttpRequestException http => CrmDeliveryException.Transient("http_" + http.HttpRequestError.ToString().ToLowerInvariant(), ex),
        _ => null,
    };
}
