using LeadHandoff.Api.Webhooks.ActiveCampaign;
using LeadHandoff.Api.Webhooks.DeadLetters;
using LeadHandoff.Api.Webhooks.HubSpot;
using LeadHandoff.Api.Webhooks.Mautic;
using LeadHandoff.Api.Webhooks.RdStation;
using LeadHandoff.Api.Webhooks.Standard;
using LeadHandoff.Api.Webhooks.Templated;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Sources;

internal static class SourceExtensions
{
    public static IHostApplicationBuilder AddWebhookSources(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.SectionName)
            .Validate(o => o.MaxBodyBytes is > 0 and <= 64 * 1024 * 1024, "LeadHandoff:Webhooks:MaxBodyBytes must be between 1 byte and 64 MiB.")
            .Validate(o => o.TimestampTolerance > TimeSpan.Zero, "LeadHandoff:Webhooks:TimestampTolerance must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<Dictionary<string, SourceOptions>>().BindConfiguration("LeadHandoff:Sources").ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<Dictionary<string, SourceOptions>>, SourcesValidation>();
        builder.Services.AddSingleton<ISourceKind, StandardSourceKind>();
        builder.Services.AddSingleton<ISourceKind, HubSpotSourceKind>();
        builder.Services.AddSingleton<ISourceKind, MauticSourceKind>();
        builder.Services.AddSingleton<ISourceKind, RdStationSourceKind>();
        builder.Services.AddSingleton<ISourceKind, ActiveCampaignSourceKind>();
        builder.Services.AddSingleton<ISourceKind>(TemplatedSourceKind.Marketo());
        builder.Services.AddSingleton<ISourceKind>(TemplatedSourceKind.Pardot());
        builder.Services.AddScoped<DeadLetterStore>();
        builder.Services.AddSingleton<HubSpotEnrichmentSignal>();
        builder.Services.AddOptions<HubSpotEnrichmentOptions>().BindConfiguration(HubSpotEnrichmentOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HubSpotEnrichmentOptions>, HubSpotEnrichmentOptionsValidator>();
        builder.Services.AddHttpClient<HubSpotContactsClient>().AddStandardResilienceHandler();
        builder.Services.AddHostedService<HubSpotEnrichmentService>();
        builder.Services.AddSingleton(sp => new SourceRegistry(
            sp.GetRequiredService<IOptions<Dictionary<string, SourceOptions>>>().Value,
            sp.GetServices<ISourceKind>()));
        return builder;
    }
}
