using System.Diagnostics;
using System.Threading.Channels;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Leads;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Ingestion;

/// One canonical event and the exact JSON it came as.
/// <param name="UnmappedType">Set for a platform event with no canonical meaning: stored as a raw interaction, never qualified on.</param>
internal sealed record IncomingEvent(LeadEvent Event, string Payload, string? UnmappedType = null)
{
    /// The platform's id of a contact to fetch once this event is stored, when the event carried only that id.
    public string? FetchObjectId { get; init; }

    /// A privacy request: the personal data held for the event's lead is to be erased.
    public bool ErasesPersonalData { get; init; }
}

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
/// Each writer has its own lane; a request's lane follows from its first lead's identity, so the same lead (and the
/// same redelivered request) always meets the same writer, in order.
internal sealed class IngestionQueue
{
    private readonly Channel<IngestRequest>[] _lanes;

    public IngestionQueue(IOptions<StorageOptions> options)
    {
        var lanes = options.Value.EffectiveWriters;
        var capacity = Math.Max(1, options.Value.MaxPendingRequests / lanes);
        _lanes = Enumerable.Range(0, lanes)
            .Select(_ => Channel.CreateBounded<IngestRequest>(new BoundedChannelOptions(capacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            }))
            .ToArray();
    }

    public int Lanes => _lanes.Length;

    public ChannelReader<IngestRequest> Reader(int lane) => _lanes[lane].Reader;

    /// False when the lane is full: the caller answers 429 and the platform retries later.
    public bool TryEnqueue(IngestRequest request) => _lanes[LaneOf(request)].Writer.TryWrite(request);

    public void Complete()
    {
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }
    }

    private int LaneOf(IngestRequest request)
    {
        if (_lanes.Length == 1 || request.Events.Count == 0)
        {
            return 0;
        }

        var contact = request.Events[0].Event.Contact;
        var key = EmailAddress.Normalize(contact.Email)
            ?? contact.ExternalIds.Select(x => x.Key + ":" + x.Value).FirstOrDefault()
            ?? request.Events[0].Event.EventId;
        return (int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_lanes.Length);
    }
}
