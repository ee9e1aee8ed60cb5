using System.Threading.Channels;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Telemetry;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Ingestion;

/// The writers that drain the queue's lanes in batches and commit each batch in one transaction.
internal sealed class IngestionWriter(
    IngestionQueue queue,
    IServiceScopeFactory scopes,
    IOptions<StorageOptions> options,
    ILogger<IngestionWriter> logger) : BackgroundService
{
    /// A unique key another writer took first resolves on the first reload; replicas deadlocking or racing on the
    /// same lead's version can collide several times in a row. Each retry waits a little longer, with jitter, so
    /// they fall out of step.
    private const int ConflictAttempts = 3;
    private const int ContentionAttempts = 10;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, queue.Lanes).Select(lane => Task.Run(() => DrainAsync(queue.Reader(lane), stoppingToken), stoppingToken)));

    private async Task DrainAsync(ChannelReader<IngestRequest> reader, CancellationToken stoppingToken)
    {
        var batch = new List<IngestRequest>(options.Value.MaxBatchRequests);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < options.Value.MaxBatchRequests && reader.TryRead(out var request))
                {
                    batch.Add(request);
                }

                await CommitAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever was not committed is answered as not stored, so the platform retries it.
            var stopped = new OperationCanceledException("The service is shutting down.");
            foreach (var request in batch)
            {
                request.Fail(stopped);
            }

            queue.Complete();
            while (reader.TryRead(out var pending))
            {
                pending.Fail(stopped);
            }
        }
    }

    private async Task CommitAsync(List<IngestRequest> batch, CancellationToken cancellationToken)
    {
        int clashes = 0, collisions = 0;
        while (true)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var processor = scope.ServiceProvider.GetRequiredService<IngestionBatch>();
                var results = await processor.ProcessAsync(batch, cancellationToken);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Complete(results[i]);
                }

                return;
            }
            // Not only DbUpdateException: EF reports a deadlock (a transient error) wrapped in InvalidOperationException.
            catch (Exception ex) when (StorageErrors.IsConflict(ex)
                && (StorageErrors.IsContention(ex) ? ++collisions < ContentionAttempts : ++clashes < ConflictAttempts))
            {
                // Another replica wrote the same lead or event between our read and our commit: reload and redo.
                var attempt = clashes + collisions;
                logger.BatchConflict(batch.Count, attempt, ex);
                LeadHandoffTelemetry.BatchesRedone.Add(1, new KeyValuePair<string, object?>("cause", StorageErrors.IsContention(ex) ? "contention" : "clash"));
                await StorageErrors.BackoffAsync(attempt, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (batch.Count == 1 || StorageErrors.IsUnavailable(ex))
                {
                    // Unreachable storage fails every request of the batch alike; trying them one by one would
                    // only multiply the time each caller waits for the same answer.
                    logger.IngestionFailed(batch[0].SourceId, ex);
                    foreach (var request in batch)
                    {
                        request.Fail(ex);
                    }

                    return;
                }

                // One bad request must not fail the others that happened to share its transaction.
                foreach (var request in batch)
                {
                    await CommitAsync([request], cancellationToken);
                }

                return;
            }
        }
    }
}
