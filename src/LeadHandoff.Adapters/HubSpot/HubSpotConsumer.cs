using LeadHandoff.Adapters.Delivery;
using LeadHandoff.Contracts.V1;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Adapters.HubSpot;

/// Handoffs that arrive together go to HubSpot in one batch: a burst of leads costs a few calls of the private app's
/// 10-second allowance instead of one per lead.
internal sealed class HubSpotConsumer(
    HubSpotClient client,
    IOptions<HubSpotOptions> options,
    TimeProvider time,
    ILogger<HubSpotConsumer> logger) : IConsumer<Batch<LeadHandoffRequested>>
{
    public Task Consume(ConsumeContext<Batch<LeadHandoffRequested>> context)
    {
        var handoffs = context.Message.Select(m => m.Message).ToList();
        return HandoffDelivery.RunAsync(
            context,
            HubSpotClient.Crm,
            handoffs,
            options.Value.MessageRetries,
            time,
            logger,
            cancellationToken => client.DeliverAsync(handoffs, cancellationToken));
    }
}

internal sealed class HubSpotConsumerDefinition : CrmConsumerDefinition<HubSpotConsumer, HubSpotOptions>
{
    public HubSpotConsumerDefinition(IOptions<HubSpotOptions> options)
        : base(options)
    {
        // Batches need room to fill: the limit applies per batch (below), not per message.
        ConcurrentMessageLimit = null;
        Endpoint(e => e.PrefetchCount = Math.Max(Options.BatchSize * 2, 16));
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<HubSpotConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        base.ConfigureConsumer(endpointConfigurator, consumerConfigurator, context);
        consumerConfigurator.Options<BatchOptions>(o => o
            .SetMessageLimit(Options.BatchSize)
            .SetTimeLimit(Options.BatchTimeLimit)
            .SetConcurrencyLimit(Math.Max(1, Options.ConcurrentMessageLimit / 4)));
    }
}
