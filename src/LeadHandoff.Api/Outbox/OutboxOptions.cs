using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Outbox;

internal sealed class OutboxOptions
{
    public const string SectionName = "LeadHandoff:Outbox";

    /// Rows claimed and published per round; their publications are in flight together (a window of confirms).
    [Range(1, 5_000)]
    public int BatchSize { get; set; } = 200;

    /// Fallback poll, for rows written by other replicas or left by a failed round.
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// A publication not confirmed within this time counts as failed and is retried.
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// How long a claim keeps other replicas off a row; longer than a publication may take.
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(60);

    /// Back-off after a failed publication doubles from 1 s up to this.
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// Published rows are deleted after this; the handoff row keeps the message for replays.
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// How often published rows past the retention are looked for.
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(10);
}

[OptionsValidator]
internal sealed partial class OutboxOptionsValidator : IValidateOptions<OutboxOptions>;
