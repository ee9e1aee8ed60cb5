using LeadHandoff.Api.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Policy;

/// Polls the policy file's content. Polling rather than a file watcher, because Kubernetes updates a mounted
/// ConfigMap by swapping a symlink, which watchers on the file miss.
internal sealed class PolicyReloader(PolicyProvider policies, IOptions<PolicyOptions> options, TimeProvider time, ILogger<PolicyReloader> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReloadInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var outcome = await policies.ReloadAsync(stoppingToken);
            switch (outcome.Result)
            {
                case ReloadResult.Loaded:
                    LeadHandoffTelemetry.PolicyReloads.Add(1, new KeyValuePair<string, object?>("outcome", "loaded"));
                    logger.PolicyLoaded(policies.Current.Version, policies.Path);
                    break;
                case ReloadResult.Rejected:
                    LeadHandoffTelemetry.PolicyReloads.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"));
                    logger.PolicyRejected(policies.Path, policies.Current.Version, string.Join(" | ", outcome.Errors));
                    break;
            }
        }
    }
}

/// Ready either way (the previous policy keeps qualifying leads), but Degraded with the reasons while the file on
/// disk is an edit that was refused.
internal sealed class PolicyHealthCheck(PolicyProvider policies) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(policies.RejectedEdit is { } errors
            ? HealthCheckResult.Degraded($"Policy {policies.Current.Version} stays in force; the edited file was refused: {string.Join(" | ", errors)}")
            : HealthCheckResult.Healthy($"Policy {policies.Current.Version} in force."));
}
