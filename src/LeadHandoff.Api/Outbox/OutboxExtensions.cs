using LeadHandoff.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Outbox;

internal static class OutboxExtensions
{
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        if (builder.Configuration.GetValue(BusOptions.SectionName + ":Transport", BusTransport.InMemory) == BusTransport.RabbitMq)
        {
            builder.Services.AddSingleton<BrokerHealthCheck>();
            builder.Services.AddHealthChecks().AddCheck<BrokerHealthCheck>("broker", tags: [ServiceDefaultsExtensions.ReadyTag]);
        }

        return builder;
    }
}
