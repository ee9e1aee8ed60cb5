using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Sla;

internal sealed class SlaMonitorOptions
{
    public const string SectionName = "LeadHandoff:Sla";

    /// How often the monitor looks for due warnings, breaches and give-ups.
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// Handoffs examined per round at most.
    public int BatchSize { get; set; } = 500;

    /// How long a replica's claim on a handoff holds; a replica that dies mid-round leaves them due again after it.
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);
}

internal sealed class SlaMonitorOptionsValidator : IValidateOptions<SlaMonitorOptions>
{
    public ValidateOptionsResult Validate(string? name, SlaMonitorOptions options)
    {
        var errors = new List<string>();
        if (options.Interval <= TimeSpan.Zero)
        {
            errors.Add($"{SlaMonitorOptions.SectionName}:Interval must be positive.");
        }

        if (options.BatchSize < 1)
        {
            errors.Add($"{SlaMonitorOptions.SectionName}:BatchSize must be at least 1.");
        }

        if (options.ClaimLease <= TimeSpan.Zero)
        {
            errors.Add($"{SlaMonitorOptions.SectionName}:ClaimLease must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

internal static class SlaExtensions
{
    public static IHostApplicationBuilder AddSlaMonitor(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SlaMonitorOptions>().BindConfiguration(SlaMonitorOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SlaMonitorOptions>, SlaMonitorOptionsValidator>();
        builder.Services.AddHostedService<SlaMonitor>();
        return builder;
    }
}
