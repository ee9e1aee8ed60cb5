using LeadHandoff.Adapters.Delivery;
using LeadHandoff.Adapters.GenericHttp;
using LeadHandoff.Adapters.HubSpot;
using LeadHandoff.Adapters.Salesforce;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Adapters;

public static class CrmAdapterExtensions
{
    /// Registers the built-in adapters switched on in configuration (<c>LeadHandoff:Adapters:{Name}:Enabled</c>), each
    /// with its options (validated at start-up), its typed client behind its own Polly pipeline, and its consumer on
    /// its own queue. Call it inside <c>AddLeadHandoffBus</c> of any host: the adapter worker, or the API on the
    /// embedded default.
    public static IBusRegistrationConfigurator AddCrmAdapters(this IBusRegistrationConfigurator bus, IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(builder);

        if (IsEnabled(builder, GenericHttpOptions.SectionName))
        {
            builder.AddAdapterOptions<GenericHttpOptions>(GenericHttpOptions.SectionName)
                .Validate(o => WebhookSigner.TryDecodeSecret(o.Secret, out _), $"{GenericHttpOptions.SectionName}:Secret must be whsec_ followed by base64 of at least 16 bytes.");
            builder.Services.AddHttpClient<GenericHttpClient>().AddCrmResilience<GenericHttpOptions>();
            bus.AddConsumer<GenericHttpConsumer, GenericHttpConsumerDefinition>();
        }

        if (IsEnabled(builder, HubSpotOptions.SectionName))
        {
            builder.AddAdapterOptions<HubSpotOptions>(HubSpotOptions.SectionName)
                .Validate(o => !string.IsNullOrWhiteSpace(o.AccessToken), $"{HubSpotOptions.SectionName}:AccessToken (the private app's token) is required.");
            builder.Services.AddHttpClient<HubSpotClient>().AddCrmResilience<HubSpotOptions>();
            bus.AddConsumer<HubSpotConsumer, HubSpotConsumerDefinition>();
        }

        if (IsEnabled(builder, SalesforceOptions.SectionName))
        {
            builder.AddAdapterOptions<SalesforceOptions>(SalesforceOptions.SectionName)
                .Validate(o => !string.IsNullOrWhiteSpace(o.ClientId) && !string.IsNullOrWhiteSpace(o.ClientSecret), $"{SalesforceOptions.SectionName}:ClientId and ClientSecret (the connected app's) are required.");
            builder.Services.AddSingleton<SalesforceTokenCache>();
            builder.Services.AddHttpClient(SalesforceTokenCache.HttpClientName).AddCrmResilience<SalesforceOptions>();
            builder.Services.AddHttpClient<SalesforceClient>().AddCrmResilience<SalesforceOptions>();
            bus.AddConsumer<SalesforceConsumer, SalesforceConsumerDefinition>();
        }

        return bus;
    }

    private static bool IsEnabled(IHostApplicationBuilder builder, string section) =>
        builder.Configuration.GetValue<bool>(section + ":Enabled");

    private static OptionsBuilder<T> AddAdapterOptions<T>(this IHostApplicationBuilder builder, string section)
        where T : CrmAdapterOptions =>
        builder.Services.AddOptions<T>()
            .BindConfiguration(section)
            .ValidateDataAnnotations()
            .Validate(o => o.BaseUrl is { IsAbsoluteUri: true }, $"{section}:BaseUrl must be an absolute http(s) URL.")
            .Validate(o => o.RateLimitWindow > TimeSpan.Zero && o.AttemptTimeout > TimeSpan.Zero && o.TotalTimeout >= o.AttemptTimeout, $"{section}: timeouts and the rate-limit window must be positive, the total timeout at least one attempt's.")
            .ValidateOnStart();
}
