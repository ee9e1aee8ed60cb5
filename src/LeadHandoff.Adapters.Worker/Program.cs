using LeadHandoff.Adapters;

var builder = WebApplication.CreateBuilder(args);
builder.AddCrmAdapterHost();

var app = builder.Build();
app.MapCrmAdapterHost();
await app.RunAsync();
