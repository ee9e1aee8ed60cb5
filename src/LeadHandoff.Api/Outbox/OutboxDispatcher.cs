using System.Diagnostics;
using System.Text.Json;
using LeadHandoff.Api.Handoffs;
using LeadHandoff.Api.Json;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Outbox;

/// Publishes committed outbox rows to the bus and marks them published once the broker confirmed them.
/// Safe with several replicas: a row is claimed with a lease by one atomic UPDATE before it is published, and
/// the message id is the handoff id, so the rare double publication after a lease expiry is recognisable.
internal sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IBus publisher,
    OutboxSignal signal,
    StorageWriteGate writeGate,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var nextPrune = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await DispatchOnceAsync(settings, stoppingToken);
                if (time.GetUtcNow() >= nextPrune)
                {
                    await PruneAsync(settings, stoppingToken);
                    nextPrune = time.GetUtcNow() + settings.PruneInterval;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.DispatchRoundFailed(ex);
            }

            if (claimed < settings.BatchSize)
            {
                try
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    internal async Task<int> DispatchOnceAsync(OutboxOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadHandoffDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var token = Guid.NewGuid();
        var leaseEnd = now + settings.ClaimLease;

        var candidates = db.OutboxMessages
            .Where(m => m.PublishedAt == null && m.AvailableAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.Id)
            .Select(m => m.Id)
            .Take(settings.BatchSize);

        // The outer conditions repeat the inner ones so that a concurrent claimer's UPDATE, re-checked by the
        // database after it waited on the row lock, skips rows another replica claimed first.
        int claimed;
        using (await writeGate.EnterAsync(cancellationToken))
        {
            claimed = await db.OutboxMessages
                .Where(m => candidates.Contains(m.Id) && m.PublishedAt == null && m.AvailableAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimToken, token).SetProperty(m => m.ClaimedUntil, leaseEnd), cancellationToken);
        }

        if (claimed == 0)
        {
            return 0;
        }

        var rows = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.ClaimToken == token)
            .OrderBy(m => m.Id)
            .ToListAsync(cancellationToken);

        var outcomes = await Task.WhenAll(rows.Select(row => PublishAsync(row, settings.PublishTimeout, cancellationToken)));
        await RecordOutcomesAsync(db, token, rows, outcomes, settings, cancellationToken);
        return claimed;
    }

    /// Published rows older than the retention are deleted in bounded chunks; the handoff keeps its message.
    internal async Task<int> PruneAsync(OutboxOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadHandoffDbContext>();
        var before = time.GetUtcNow().UtcDateTime - settings.Retention;
        var old = db.OutboxMessages.Where(m => m.PublishedAt != null && m.PublishedAt < before).OrderBy(m => m.Id).Select(m => m.Id).Take(5_000);
        var deleted = await db.OutboxMessages.Where(m => old.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            logger.Pruned(deleted);
        }

        return deleted;
    }

    private async Task<Exception?> PublishAsync(OutboxMessageRecord row, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var activity = LeadHandoffTelemetry.Source.StartActivity(
            "outbox publish", ActivityKind.Internal, TraceParents.Parse(row.TraceParent));
        activity?.SetTag("messaging.message.id", row.MessageId);
        activity?.SetTag("leadhandoff.outbox.id", row.Id);
        activity?.SetTag("leadhandoff.outbox.attempt", row.Attempts + 1);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            switch (row.MessageType)
            {
                case OutboxMessageTypes.LeadHandoffRequested:
                    var message = JsonSerializer.Deserialize(row.Payload, StorageJson.Default.LeadHandoffRequested)!;
                    await publisher.Publish(message, context => context.MessageId = row.MessageId, timeoutSource.Token);
                    break;
                default:
                    if (!await Sla.SlaMessages.TryPublishAsync(publisher, row, timeoutSource.Token))
                    {
                        throw new InvalidOperationException($"Unknown outbox message type '{row.MessageType}'.");
                    }

                    break;
            }

            return null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            return ex;
        }
    }

    private async Task RecordOutcomesAsync(
        LeadHandoffDbContext db,
        Guid token,
        List<OutboxMessageRecord> rows,
        Exception?[] outcomes,
        OutboxOptions settings,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        using var turn = await writeGate.EnterAsync(CancellationToken.None);
        var published = new List<long>(rows.Count);
        var handoffIds = new List<Guid>(rows.Count);
        var failed = new List<(OutboxMessageRecord Row, Exception Error)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (outcomes[i] is { } error)
            {
                failed.Add((row, error));
                continue;
            }

            published.Add(row.Id);
            if (row.MessageType == OutboxMessageTypes.LeadHandoffRequested)
            {
                handoffIds.Add(row.MessageId);
            }

            LeadHandoffTelemetry.OutboxLag.Record((now - row.CreatedAt).TotalMilliseconds);
        }

        // During a broker outage a whole round fails alike: one UPDATE per attempt count, not one per row.
        foreach (var group in failed.GroupBy(f => f.Row.Attempts + 1))
        {
            var attempts = group.Key;
            var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, attempts - 1), settings.MaxRetryDelay.TotalSeconds));
            var next = now + delay;
            var first = group.First().Error;
            var error = Truncate($"{first.GetType().Name}: {first.Message}", 1000);
            logger.PublishFailed(group.Count(), attempts, next, first);
            LeadHandoffTelemetry.OutboxFailed.Add(group.Count());
            var ids = group.Select(f => f.Row.Id).ToList();

            // Only while our claim holds: a replica that took a row over after our lease expired owns it now.
            await db.OutboxMessages.Where(m => ids.Contains(m.Id) && m.ClaimToken == token).ExecuteUpdateAsync(
                s => s.SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.AvailableAt, next)
                    .SetProperty(m => m.LastError, error)
                    .SetProperty(m => m.ClaimToken, (Guid?)null)
                    .SetProperty(m => m.ClaimedUntil, (DateTime?)null),
                cancellationToken);
        }

        if (published.Count == 0)
        {
            return;
        }

        // Marked with CancellationToken.None: the broker has the messages, so losing the mark would only cause
        // a duplicate publication, but there is no reason to risk it on shutdown. The outbox row and the handoff's
        // status change together, or a crash between them would leave a published handoff shown as pending.
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        await db.OutboxMessages.Where(m => published.Contains(m.Id)).ExecuteUpdateAsync(
            s => s.SetProperty(m => m.PublishedAt, now)
                .SetProperty(m => m.ClaimToken, (Guid?)null)
                .SetProperty(m => m.ClaimedUntil, (DateTime?)null),
            CancellationToken.None);
        if (handoffIds.Count > 0)
        {
            await db.Handoffs.Where(h => handoffIds.Contains(h.Id) && h.Status == HandoffStatus.Pending).ExecuteUpdateAsync(
                s => s.SetProperty(h => h.Status, HandoffStatus.Published)
                    .SetProperty(h => h.PublishedAt, now)
                    .SetProperty(h => h.UpdatedAt, now),
                CancellationToken.None);
        }

        await transaction.CommitAsync(CancellationToken.None);
        LeadHandoffTelemetry.OutboxPublished.Add(published.Count);
        logger.Published(published.Count);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
