using System.ComponentModel.DataAnnotations;

namespace LeadHandoff.Adapters.Delivery;

/// What every adapter shares: whether it runs, how hard it may push its CRM, and how long it keeps trying.
public abstract class CrmAdapterOptions
{
    public bool Enabled { get; set; }

    /// This adapter's own queue, so a slow or broken CRM never holds back another; its dead letters are in
    /// <c>{QueueName}_error</c>. Change it only to run two independent deployments on one broker.
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,200}$")]
    public string QueueName { get; set; } = "crm";

    /// The CRM's API root (the look-alike's address in tests).
    public Uri? BaseUrl { get; set; }

    /// Messages of this adapter's queue processed at once.
    [Range(1, 256)]
    public int ConcurrentMessageLimit { get; set; } = 8;

    /// Requests allowed per <see cref="RateLimitWindow"/>; requests beyond it wait their turn.
    [Range(1, 100_000)]
    public int RateLimitPermits { get; set; } = 100;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// One HTTP attempt.
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// One call including its in-process retries.
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// In-process retries of one HTTP call (transient errors, <c>429</c> with <c>Retry-After</c>).
    [Range(0, 10)]
    public int HttpRetries { get; set; } = 3;

    /// Longest single wait between HTTP attempts, <c>Retry-After</c> included; a longer outage is left to message retry.
    public TimeSpan MaxHttpRetryDelay { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// Redeliveries of a handoff the CRM could not take, at growing intervals, before it goes to the error queue.
    [Range(0, 50)]
    public int MessageRetries { get; set; } = 10;

    public TimeSpan MessageRetryMinInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MessageRetryMaxInterval { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan MessageRetryIntervalDelta { get; set; } = TimeSpan.FromSeconds(2);
}
