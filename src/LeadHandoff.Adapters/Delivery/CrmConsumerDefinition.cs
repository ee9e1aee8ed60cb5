using MassTransit;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Adapters.Delivery;

/// Every adapter's consumer on its own queue, with the shared retry and queue settings.
internal abstract class CrmConsumerDefinition<TConsumer, TOptions> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
    where TOptions : CrmAdapterOptions
{
    protected CrmConsumerDefinition(IOptions<TOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        EndpointName = Options.QueueName;
        ConcurrentMessageLimit = Options.ConcurrentMessageLimit;
    }

    protected TOptions Options { get; }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        CrmEndpoint.Configure(endpointConfigurator, Options);
}
