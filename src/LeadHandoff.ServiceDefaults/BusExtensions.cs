using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LeadHandoff.ServiceDefaults;

public static class BusExtensions
{
    /// The one place a host configures MassTransit: in-memory by default, RabbitMQ (durable, publisher confirms)
    /// when configured. Consumers are registered by the caller; their endpoints come from their definitions.
    public static IHostApplicationBuilder AddLeadHandoffBus(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? registerConsumers = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BusOptions>()
            .BindConfiguration(BusOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
                options.RabbitMqConnectionString ??= configuration.GetConnectionString("RabbitMq"))
            .ValidateDataAnnotations()
            .Validate(
                o => o.Transport != BusTransport.RabbitMq || Uri.TryCreate(o.RabbitMqConnectionString, UriKind.Absolute, out _),
                "LeadHandoff:Bus:Transport is RabbitMq but ConnectionStrings:RabbitMq is missing or not an amqp:// URI.")
            .ValidateOnStart();

        var transport = builder.Configuration.GetValue(BusOptions.SectionName + ":Transport", BusTransport.InMemory);
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            registerConsumers?.Invoke(bus);

            if (transport == BusTransport.RabbitMq)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    var options = context.GetRequiredService<IOptions<BusOptions>>().Value;
                    var uri = new Uri(options.RabbitMqConnectionString!);
                    cfg.Host(uri, host =>
                    {
                        var (user, password) = Credentials(uri);
                        host.Username(user);
                        host.Password(password);
                        host.PublisherConfirmation = true;
                    });
                    cfg.PrefetchCount = options.PrefetchCount;
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });

        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            // Start without waiting for the broker: webhooks are accepted into the database and the outbox
            // publishes once the broker is reachable.
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(10);
        });

        return builder;
    }

    private static (string User, string Password) Credentials(Uri uri)
    {
        if (string.IsNullOrEmpty(uri.UserInfo))
        {
            return ("guest", "guest");
        }

        var parts = uri.UserInfo.Split(':', 2);
        return (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
    }
}
