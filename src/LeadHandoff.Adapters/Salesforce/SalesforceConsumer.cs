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

internal sealed class SalesforceConsumerDefinition(IOptions<SalesforceOptions> options)
    : CrmConsumerDefinition<SalesforceConsumer, SalesforceOptions>(options);
