using LeadHandoff.Api.Policy;

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
}
