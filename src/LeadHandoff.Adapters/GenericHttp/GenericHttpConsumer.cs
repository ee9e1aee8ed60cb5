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

internal sealed class GenericHttpConsumerDefinition : ConsumerDefinition<GenericHttpConsumer>
{
    private readonly GenericHttpOptions _options;

    public GenericHttpConsumerDefinition(IOptions<GenericHttpOptions> options)
    {
        _options = options.Value;
        EndpointName = _options.QueueName;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<GenericHttpConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        CrmEndpoint.Configure(endpointConfigurator, _options);
}
