using LeadHandoff.Api.Sla;
using LeadHandoff.Contracts.V1;
using LeadHandoff.Domain.Stages;
using MassTransit;

namespace LeadHandoff.Api.Feedback;

/// The closed loop from CRM adapters: the same feedback as the HTTP endpoint, applied the same way.
internal sealed class SalesFeedbackConsumer(FeedbackProcessor processor, ILogger<SalesFeedbackConsumer> logger)
    : IConsumer<SalesFeedbackReceived>
{
    public async Task Consume(ConsumeContext<SalesFeedbackReceived> context)
    {
        var message = context.Message;
        if (!FeedbackTypes.TryParse(message.Type, out var type))
        {
            // A vocabulary error will not fix itself on a retry; it is logged and counted, not redelivered forever.
            logger.BusFeedbackDropped(message.FeedbackId, "unknownType");
            SlaTelemetry.Feedback.Add(1, new("type", "unknown"), new("channel", "bus"), new("outcome", "invalid"));
            return;
        }

        var outcome = await processor.ApplyAsync(
            new FeedbackInput(message.FeedbackId, message.HandoffId, type, message.At, message.Reason, message.By, "bus"),
            context.CancellationToken);
        if (outcome is FeedbackHandoffNotFound or FeedbackBeforeHandoff)
        {
            logger.BusFeedbackDropped(message.FeedbackId, outcome is FeedbackHandoffNotFound ? "handoffNotFound" : "beforeHandoff");
        }
    }
}

internal sealed class SalesFeedbackConsumerDefinition : ConsumerDefinition<SalesFeedbackConsumer>
{
    public SalesFeedbackConsumerDefinition() => EndpointName = "leadhandoff-sales-feedback";

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<SalesFeedbackConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // Transient database trouble (a concurrent writer, a failover) is retried; a stage conflict is not an error.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2_000, 5_000));
    }
}

internal static class FeedbackBus
{
    public static void AddFeedbackConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<SalesFeedbackConsumer, SalesFeedbackConsumerDefinition>();
}
