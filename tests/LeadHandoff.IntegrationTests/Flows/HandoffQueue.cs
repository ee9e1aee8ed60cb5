using System.Text.Json;
using RabbitMQ.Client;

namespace LeadHandoff.IntegrationTests.Flows;

/// A durable queue bound to the exchange MassTransit publishes handoffs to, read the way an adapter would see it.
internal sealed class HandoffQueue(Uri broker, string name)
{
    public const string Exchange = "LeadHandoff.Contracts.V1:LeadHandoffRequested";

    private readonly List<JsonElement> _received = [];

    public IReadOnlyList<JsonElement> Received => _received;

    public static async Task<HandoffQueue> DeclareAsync(Uri broker, string name, string exchange = Exchange)
    {
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(name, exchange, string.Empty);
        return new HandoffQueue(broker, name);
    }

    /// Takes whatever is on the queue now (MassTransit envelopes).
    public async Task<int> DrainAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var taken = 0;
        while (await channel.BasicGetAsync(name, autoAck: true) is { } delivery)
        {
            _received.Add(JsonDocument.Parse(delivery.Body).RootElement.Clone());
            taken++;
        }

        return taken;
    }

    public IEnumerable<string> HandoffIds => _received.Select(e => e.GetProperty("message").GetProperty("handoffId").GetString()!);
}
