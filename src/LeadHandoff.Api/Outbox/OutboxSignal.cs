using System.Threading.Channels;

namespace LeadHandoff.Api.Outbox;

/// Wakes a polling worker as soon as a commit wrote rows it claims, so they do not wait for the next poll. One pending
/// wake-up covers every row committed so far, so extra signals are dropped.
internal abstract class CommitSignal
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    public void Notify() => _signal.Writer.TryWrite(true);

    /// Returns when signalled or after <paramref name="timeout"/>, whichever comes first.
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _signal.Reader.ReadAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed without a signal.
        }
    }
}

/// Wakes the outbox dispatcher when a commit wrote outbox rows.
internal sealed class OutboxSignal : CommitSignal;
