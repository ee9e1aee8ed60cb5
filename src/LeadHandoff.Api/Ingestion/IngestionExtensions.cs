using LeadHandoff.Api.Policy;
using LeadHandoff.ServiceDefaults;

namespace LeadHandoff.Api.Ingestion;

internal static class IngestionExtensions
{
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        var policyPath = builder.Configuration[PolicyOptions.SectionName + ":Path"];
        builder.Services.AddSingleton(PolicyProvider.Load(policyPath, builder.Environment.ContentRootPath));
        builder.Services.AddOptions<PolicyOptions>().BindConfiguration(PolicyOptions.SectionName)
            .Validate(o => o.ReloadInterval > TimeSpan.Zero, "LeadHandoff:Policy:ReloadInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddHostedService<PolicyReloader>();
        builder.Services.AddHealthChecks().AddCheck<PolicyHealthCheck>("policy", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddSingleton<IngestionQueue>();
        builder.Services.AddScoped<IngestionBatch>();
        builder.Services.AddHostedService<IngestionWriter>();
        return builder;
    }
}
