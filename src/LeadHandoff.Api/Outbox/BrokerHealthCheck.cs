using LeadHandoff.ServiceDefaults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace LeadHandoff.Api.Outbox;

/// Whether the broker accepts an AMQP connection. A broker outage reports Degraded, not Unhealthy: the API keeps
/// accepting webhooks into the database and the outbox publishes once the broker is back, so taking the replicas out
/// of the load balancer would turn a delay into rejected webhooks. The database check alone decides 503.
internal sealed class BrokerHealthCheck(IOptions<BusOptions> options, TimeProvider time) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private HealthCheckResult _last;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Probes from every kubelet and load balancer share one connection attempt every few seconds.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() - _checkedAt < CacheFor)
            {
                return _last;
            }

            _last = await ProbeAsync(cancellationToken);
            _checkedAt = time.GetUtcNow();
            return _last;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(options.Value.RabbitMqConnectionString!),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(2),
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = "leadhandoff-health",
        };
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            return HealthCheckResult.Healthy("RabbitMQ accepts connections.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded($"RabbitMQ unreachable ({ex.GetType().Name}); handoffs wait in the outbox until it is back.");
        }
    }
}
