using LeadHandoff.Adapters.Delivery;
using LeadHandoff.Contracts.V1;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Adapters.GenericHttp;

internal sealed class GenericHttpConsumer(
    GenericHttpClient client,
    IOptions<GenericHttpOptions> options,
    TimeProvider time,
    ILogger<GenericHttpConsumer> logger) : IConsumer<LeadHandoffRequested>
{
    public Task Consume(ConsumeContext<LeadHandoffRequested> context) =>
        HandoffDelivery.RunAsync(
            context,
            options.Value.CrmName,
            [context.Message],
            options.Value.MessageRetries,
            time,
            logger,
            async cancellationToken =>
                [DeliveryResult.Landed(context.Message.HandoffId, await client.DeliverAsync(context.Message, cancellationToken))]);
}

internal sealed class GenericHttpConsumerDefinition(IOptions<GenericHttpOptions> options)
    : CrmConsumerDefinition<GenericHttpConsumer, GenericHttpOptions>(options);
