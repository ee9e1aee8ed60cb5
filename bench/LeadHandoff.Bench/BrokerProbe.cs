using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace LeadHandoff.Bench;

/// Listens to the handoffs the service publishes: an exclusive, auto-deleted queue bound to the message type's
/// fanout exchange, declared before the first request so no handoff can be missed. Only handoffs of the measured
/// run (matched by <c>customFields.benchRun</c>) are counted; anything else on the exchange is tallied apart.
internal sealed class BrokerProbe : IAsyncDisposable
{
    public const string Exchange = "LeadHandoff.Contracts.V1:LeadHandoffRequested";

    private readonly object _gate = new();
    private readonly HashSet<string> _handoffIds = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private IConnection? _connection;
    private IChannel? _channel;
    private string? _runTag;
    private int _received;
    private int _duplicates;
    private int _other;

    private BrokerProbe(TimeProvider time, int capacity)
    {
        _time = time;
        EndToEnd = new Latencies(capacity);
        SentToQualified = new Latencies(capacity);
        QualifiedToPublished = new Latencies(capacity);
        PublishedToReceived = new Latencies(capacity);
    }

    /// Webhook request sent (<c>benchSentAt</c>) → message received here, in microseconds.
    public Latencies EndToEnd { get; }

    /// Request sent → the lead qualified (<c>message.occurredAt</c>, taken by the service when it processed the batch).
    public Latencies SentToQualified { get; }

    /// Lead qualified → MassTransit sent the message (<c>sentTime</c> in the envelope): commit, outbox claim, publish.
    public Latencies QualifiedToPublished { get; }

    /// MassTransit sent → received here: broker routing and delivery to this consumer.
    public Latencies PublishedToReceived { get; }

    public int Received => Volatile.Read(ref _received);

    public int Duplicates => Volatile.Read(ref _duplicates);

    public int Other => Volatile.Read(ref _other);

    public static async Task<BrokerProbe> StartAsync(Uri uri, int capacity, TimeProvider time, CancellationToken cancellationToken)
    {
        var probe = new BrokerProbe(time, capacity);
        try
        {
            var factory = new ConnectionFactory { Uri = uri, ClientProvidedName = "leadhandoff-bench-probe" };
            probe._connection = await factory.CreateConnectionAsync(cancellationToken);
            probe._channel = await DeclareAsync(probe._connection, cancellationToken);
            var queue = await probe._channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken);
            await probe._channel.QueueBindAsync(queue.QueueName, Exchange, string.Empty, cancellationToken: cancellationToken);
            var consumer = new AsyncEventingBasicConsumer(probe._channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                probe.OnMessage(delivery.Body.Span);
                return Task.CompletedTask;
            };
            await probe._channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer, cancellationToken);
            return probe;
        }
        catch
        {
            await probe.DisposeAsync();
            throw;
        }
    }

    /// From here on, handoffs carrying this run tag are counted.
    public void Measure(string runTag) => Volatile.Write(ref _runTag, runTag);

    /// Polls until <paramref name="expected"/> handoffs arrived or the deadline passed; returns the count received.
    public async Task<int> WaitForAsync(int expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        while (Received < expected && _time.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken);
        }

        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    /// MassTransit declares the exchange as durable fanout; so do we, in case the service has not published yet.
    /// If someone declared it otherwise, a passive declare on a fresh channel still lets us bind to it.
    private static async Task<IChannel> DeclareAsync(IConnection connection, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            return channel;
        }
        catch (OperationInterruptedException)
        {
            await channel.DisposeAsync();
            channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.ExchangeDeclarePassiveAsync(Exchange, cancellationToken);
            return channel;
        }
    }

    private void OnMessage(ReadOnlySpan<byte> body)
    {
        var receivedUs = LoadRunner.UnixMicroseconds(_time.GetUtcNow());
        var runTag = Volatile.Read(ref _runTag);
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (runTag is null
                || !root.TryGetProperty("message", out var message)
                || !TryGetPath(message, out var fields, "lead", "customFields")
                || !fields.TryGetProperty("benchRun", out var run) || run.GetString() != runTag
                || !fields.TryGetProperty("benchSentAt", out var sentAt)
                || !double.TryParse(sentAt.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var sentMs))
            {
                Interlocked.Increment(ref _other);
                return;
            }

            var handoffId = message.TryGetProperty("handoffId", out var id) ? id.GetString() ?? string.Empty : string.Empty;
            lock (_gate)
            {
                if (!_handoffIds.Add(handoffId))
                {
                    _duplicates++;
                    return;
                }
            }

            var sentUs = (long)(sentMs * 1000);
            EndToEnd.Record(receivedUs - sentUs);
            if (message.TryGetProperty("occurredAt", out var occurred) && occurred.TryGetDateTimeOffset(out var qualifiedAt)
                && root.TryGetProperty("sentTime", out var sent) && sent.TryGetDateTimeOffset(out var publishedAt))
            {
                var qualifiedUs = LoadRunner.UnixMicroseconds(qualifiedAt);
                var publishedUs = LoadRunner.UnixMicroseconds(publishedAt);
                SentToQualified.Record(qualifiedUs - sentUs);
                QualifiedToPublished.Record(publishedUs - qualifiedUs);
                PublishedToReceived.Record(receivedUs - publishedUs);
            }

            Interlocked.Increment(ref _received);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            Interlocked.Increment(ref _other);
        }
    }

    private static bool TryGetPath(JsonElement element, out JsonElement found, params string[] path)
    {
        found = element;
        foreach (var name in path)
        {
            if (found.ValueKind != JsonValueKind.Object || !found.TryGetProperty(name, out found))
            {
                return false;
            }
        }

        return found.ValueKind == JsonValueKind.Object;
    }
}
