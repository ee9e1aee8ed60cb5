using MassTransit;

namespace LeadHandoff.Adapters.Delivery;

/// Receive-endpoint settings every adapter's queue shares.
internal static class CrmEndpoint
{
    /// A poison message that keeps killing its consumer is dead-lettered after this many deliveries; without a
    /// limit a quorum queue would redeliver it forever.
    public const int QuorumDeliveryLimit = 20;

    public static void Configure(IReceiveEndpointConfigurator endpoint, CrmAdapterOptions options)
    {
        // Retries happen in process with the message unacknowledged (a crash hands it back to the broker). MassTransit's
        // delayed redelivery would need the RabbitMQ delayed-exchange plugin, which the Debian server does not ship.
        endpoint.UseMessageRetry(retry =>
        {
            retry.Exponential(options.MessageRetries, options.MessageRetryMinInterval, options.MessageRetryMaxInterval, options.MessageRetryIntervalDelta);
            retry.Ignore<CrmDeliveryException>(ex => !ex.Retryable);
        });

        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
            rabbit.SetQueueArgument("x-delivery-limit", QuorumDeliveryLimit);
        }
    }
}
