using LeadHandoff.Adapters.Delivery;
using LeadHandoff.Contracts.V1;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Adapters.Salesforce;

internal sealed class SalesforceConsumer(
    SalesforceClient client,
    IOptions<SalesforceOptions> options,
    TimeProvider time,
    ILogger<SalesforceConsumer> logger) : IConsumer<LeadHandoffRequested>
{
    public Task Consume(ConsumeContext<LeadHandoffRequested> context) =>
        HandoffDelivery.RunAsync(
            context,
            SalesforceClient.Crm,
            [context.Message],
            options.Value.MessageRetries,
            time,
            logger,
            async cancellationToken =>
                [DeliveryResult.Landed(context.Message.HandoffId, await client.DeliverAsync(context.Message, cancellationToken))]);
}

internal sealed class SalesforceConsumerDefinition : ConsumerDefinition<SalesforceConsumer>
{
    private readonly SalesforceOptions _options;

    public SalesforceConsumerDefinition(IOptions<SalesforceOptions> options)
    {
        _options = options.Value;
        EndpointName = _options.QueueName;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<SalesforceConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        CrmEndpoint.Configure(endpointConfigurator, _options);
}
