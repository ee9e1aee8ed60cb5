using System.Diagnostics;
using System.Threading.Channels;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Domain.Events;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Ingestion;

/// One canonical event and the exact JSON it came as.
internal sealed record IncomingEvent(LeadEvent Event, string Payload);

internal sealed record IngestResult(int Accepted, int Duplicates, IReadOnlyList<string> EventIds);

internal sealed class IngestRequest(string sourceId, IReadOnlyList<IncomingEvent> events, ActivityContext origin)
{
    private readonly TaskCompletionSource<IngestResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string SourceId { get; } = sourceId;

    public IReadOnlyList<IncomingEvent> Events { get; } = events;

    /// The webhook request's span, linked from the batch span and stored with any message the request produces.
    public ActivityContext Origin { get; } = origin;

    public Task<IngestResult> Completion => _completion.Task;

    public void Complete(IngestResult result) => _completion.TrySetResult(result);

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}

/// Webhook requests waiting to be committed. Requests arriving together are committed in one transaction
/// (group commit), so the database pays one sync for many requests, and every request still waits for its commit.
internal sealed class IngestionQueue(IOptions<StorageOptions> options)
{
    private readonly Channel<IngestRequest> _channel = Channel.CreateBounded<IngestRequest>(
        new BoundedChannelOptions(options.Value.MaxPendingRequests)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

    public ChannelReader<IngestRequest> Reader => _channel.Reader;

    /// False when the queue is full: the caller answers 429 and the platform retries later.
    public bool TryEnqueue(IngestRequest request) => _channel.Writer.TryWrite(request);

    public void Complete() => _channel.Writer.TryComplete();
}
