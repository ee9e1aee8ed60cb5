using LeadHandoff.Api.Outbox;
using LeadHandoff.Api.Policy;
using LeadHandoff.ServiceDefaults;

namespace LeadHandoff.Api.Ingestion;

internal static class IngestionExtensions
{
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        var policyPath = builder.Configuration[PolicyOptions.SectionName + ":Path"];
        builder.Services.AddSingleton(PolicyProvider.Load(policyPath, builder.Environment.ContentRootPath));
        builder.Services.AddSingleton<IngestionQueue>();
        builder.Services.AddScoped<IngestionBatch>();
        builder.Services.AddHostedService<IngestionWriter>();
        return builder;
    }

    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>()
            .BindConfiguration(OutboxOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
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
