using System.Text.Json.Serialization;
using LeadHandoff.Adapters;
using LeadHandoff.Api.Errors;
using LeadHandoff.Api.Feedback;
using LeadHandoff.Api.Handoffs;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Outbox;
using LeadHandoff.Api.Leads;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Planning;
using LeadHandoff.Api.Policy;
using LeadHandoff.Api.Reports;
using LeadHandoff.Api.Sla;
using LeadHandoff.Api.Sources;
using LeadHandoff.Api.Webhooks;
using LeadHandoff.ServiceDefaults;

if (PolicyLint.IsCommand(args))
{
    return PolicyLint.Run(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPersistence();
builder.AddLeadHandoffBus(bus =>
{
    bus.AddHandoffDeliveryResults().AddCrmAdapters(builder);
    bus.AddFeedbackConsumers();
});
builder.AddWebhookSources();
builder.AddIngestion();
builder.AddOutbox();
builder.Services.AddFeedback();
builder.AddSlaMonitor();
builder.Services.AddProblems();
builder.Services.AddOpenApi();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.UseSwaggerUI(o => o.SwaggerEndpoint("/openapi/v1.json", "LeadHandoff v1"));
app.MapDefaultEndpoints();
app.MapWebhooks();
app.MapLeads();
app.MapHandoffs();
app.MapFeedback();
app.MapPolicy();
app.MapFunnelPlanning();
app.MapReports();

await app.MigrateDatabaseAsync();
await app.RunAsync();
return 0;

/// Visible to the tests, which host the real application over Kestrel.
public partial class Program;
