using LeadHandoff.Adapters.DeadLetters;
using LeadHandoff.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LeadHandoff.Adapters;

/// The adapter worker: service defaults, the bus with the enabled adapters, health and the dead-letter endpoints.
/// The worker's Program.cs is these two calls; tests host exactly the same.
public static class CrmAdapterHost
{
    public static WebApplicationBuilder AddCrmAdapterHost(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddServiceDefaults();
        builder.AddLeadHandoffBus(bus => bus.AddCrmAdapters(builder));
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplication MapCrmAdapterHost(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.MapDefaultEndpoints();
        app.MapDeadLetters();
        return app;
    }
}
