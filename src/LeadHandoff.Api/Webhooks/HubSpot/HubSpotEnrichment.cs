using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Outbox;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Sources;
using LeadHandoff.Api.Telemetry;
using LeadHandoff.Domain.Events;
using LeadHandoff.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Webhooks.HubSpot;

internal sealed class HubSpotEnrichmentOptions
{
    public const string SectionName = "LeadHandoff:HubSpot:Enrichment";

    /// Pending fetches claimed per round; they are fetched concurrently.
    [Range(1, 100)]
    public int BatchSize { get; set; } = 8;

    /// Fallback poll, for rows written by other replicas or waiting for their next attempt.
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// How long a claim keeps other replicas off a row; longer than a fetch with all its retries may take.
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// Back-off after a failed fetch doubles from this up to <see cref="MaxRetryDelay"/>.
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// After this many failed fetches the contact is given up on (logged and counted); its next id-only event queues it again.
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;
}

[OptionsValidator]
internal sealed partial class HubSpotEnrichmentOptionsValidator : IValidateOptions<HubSpotEnrichmentOptions>;

internal static class HubSpotEnrichmentTelemetry
{
    private static readonly Meter Meter = new(ServiceDefaultsExtensions.TelemetryName);

    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>(
        "leadhandoff.hubspot.enrichment", "{contact}", "HubSpot contact fetches, per outcome (queued, skipped, fetched, missing, retried, abandoned, dropped after an erasure).");

    public static void Count(string outcome, long count = 1)
    {
        if (count > 0)
        {
            Outcomes.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}

/// Wakes the enrichment worker when a commit queued fetches.
internal sealed class HubSpotEnrichmentSignal : CommitSignal;

/// Claims due rows of <c>contact_fetches</c> (one UPDATE with a lease, safe with several replicas), fetches each
/// contact from HubSpot's CRM API and ingests what it answers as a <c>leadUpdated</c> event of the same source, so the
/// id-only lead gains its email and profile (and meets the person's other records). The row is deleted once the
/// event is committed; a failure reschedules it with back-off.
internal sealed class HubSpotEnrichmentService(
    HubSpotEnrichmentSignal signal,
    HubSpotContactsClient client,
    IngestionQueue ingestion,
    SourceRegistry sources,
    IServiceScopeFactory scopes,
    StorageWriteGate writeGate,
    IOptionsMonitor<HubSpotEnrichmentOptions> options,
    TimeProvider time,
    ILogger<HubSpotEnrichmentService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            var claimed = 0;
            try
            {
                claimed = await FetchOnceAsync(settings, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.HubSpotFetchRoundFailed(ex);
            }

            if (claimed < settings.BatchSize)
            {
                try
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    internal async Task<int> FetchOnceAsync(HubSpotEnrichmentOptions settings, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadHandoffDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var token = Guid.NewGuid();
        var leaseEnd = now + settings.ClaimLease;
        var fetches = db.ContactFetches();
        var candidates = fetches
            .Where(f => f.NextAttemptAt <= now && (f.ClaimedUntil == null || f.ClaimedUntil < now))
            .OrderBy(f => f.NextAttemptAt).ThenBy(f => f.Id)
            .Select(f => f.Id)
            .Take(settings.BatchSize);

        // The outer conditions repeat the inner ones so that a concurrent claimer's UPDATE, re-checked by the
        // database after it waited on the row lock, skips rows another replica claimed first.
        int claimed;
        using (await writeGate.EnterAsync(stoppingToken))
        {
            claimed = await fetches
                .Where(f => candidates.Contains(f.Id) && f.NextAttemptAt <= now && (f.ClaimedUntil == null || f.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.ClaimToken, token).SetProperty(f => f.ClaimedUntil, leaseEnd), stoppingToken);
        }

        if (claimed == 0)
        {
            return 0;
        }

        var rows = await fetches.AsNoTracking().Where(f => f.ClaimToken == token).ToListAsync(stoppingToken);
        var known = await KnownAsync(db, rows, stoppingToken);
        await Task.WhenAll(rows.Select(row => FetchAsync(row, known.Contains(row.ObjectId), settings, stoppingToken)));
        return claimed;
    }

    /// Contacts whose lead already has its email (from a workflow, another platform or an earlier fetch): HubSpot's
    /// API quota is better spent on contacts we know nothing about. One query for the round.
    private static async Task<HashSet<string>> KnownAsync(LeadHandoffDbContext db, List<ContactFetchRecord> rows, CancellationToken cancellationToken)
    {
        var keys = rows.Select(r => LeadExternalIdRecord.KeyOf(HubSpotProperties.System, r.ObjectId)).ToList();
        var known = await db.LeadExternalIds.Where(x => keys.Contains(x.Key))
            .Join(db.Leads, x => x.LeadId, l => l.Id, (x, l) => new { x.Value, l.Email })
            .Where(x => x.Email != null)
            .Select(x => x.Value)
            .ToListAsync(cancellationToken);
        return known.ToHashSet(StringComparer.Ordinal);
    }

    private async Task FetchAsync(ContactFetchRecord row, bool known, HubSpotEnrichmentOptions settings, CancellationToken stoppingToken)
    {
        using var activity = LeadHandoffTelemetry.Source.StartActivity("hubspot fetch contact", ActivityKind.Client);
        activity?.SetTag("leadhandoff.source", row.SourceId);
        activity?.SetTag("leadhandoff.fetch.attempt", row.Attempts + 1);
        try
        {
            if (known)
            {
                HubSpotEnrichmentTelemetry.Count("skipped");
                await DeleteAsync(row, CancellationToken.None);
                return;
            }

            if (!sources.TryGet(row.SourceId, out var source) || source.Options.Api is not { AccessToken: { Length: > 0 } accessToken } api)
            {
                // The source lost its API access (or is gone) since the event: nothing can be fetched any more.
                HubSpotEnrichmentTelemetry.Count("abandoned");
                logger.HubSpotFetchAbandoned(row.SourceId, row.Attempts, "no API access");
                await DeleteAsync(row, CancellationToken.None);
                return;
            }

            var contact = await client.GetAsync(api.BaseUrl, accessToken, row.ObjectId, stoppingToken);
            if (contact is null)
            {
                HubSpotEnrichmentTelemetry.Count("missing");
                await DeleteAsync(row, CancellationToken.None);
                return;
            }

            // A privacy deletion that arrived while HubSpot answered has erased the lead and dropped this row: what
            // came back must not bring the person back.
            if (!await StillClaimedAsync(row, stoppingToken))
            {
                HubSpotEnrichmentTelemetry.Count("dropped");
                return;
            }

            var builder = new ContactBuilder().ExternalId(HubSpotProperties.System, contact.Id);
            HubSpotProperties.ApplyAll(builder, contact.Properties);
            var occurredAt = contact.UpdatedAt ?? time.GetUtcNow();
            var incoming = PlatformEvents.Mapped(
                $"crm-{contact.Id}-{occurredAt.ToUnixTimeMilliseconds()}", EventType.LeadUpdated, occurredAt, builder.Build(), null, contact.Json);
            var request = new IngestRequest(row.SourceId, [incoming], activity?.Context ?? default);
            while (!ingestion.TryEnqueue(request))
            {
                // The write queue is full of webhooks; they come first.
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, stoppingToken);
            }

            await request.Completion;
            HubSpotEnrichmentTelemetry.Count("fetched");
            await DeleteAsync(row, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the row goes back at once rather than after its lease, for this or another replica.
            await ReleaseAsync(row);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            await RescheduleAsync(row, ex, settings);
        }
    }

    private async Task<bool> StillClaimedAsync(ContactFetchRecord row, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadHandoffDbContext>();
        return await db.ContactFetches().AnyAsync(f => f.Id == row.Id && f.ClaimToken == row.ClaimToken, cancellationToken);
    }

    private async Task DeleteAsync(ContactFetchRecord row, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadHandoffDbContext>();
        using (await writeGate.EnterAsync(cancellationToken))
        {
            await db.ContactFetches().Where(f => f.Id == row.Id && f.ClaimToken == row.ClaimToken).ExecuteDeleteAsync(cancellationToken);
        }
    }

    private async Task ReleaseAsync(ContactFetchRecord row)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LeadHandoffDbContext>();
            using (await writeGate.EnterAsync(CancellationToken.None))
            {
                await db.ContactFetches().Where(f => f.Id == row.Id && f.ClaimToken == row.ClaimToken).ExecuteUpdateAsync(
                    s => s.SetProperty(f => f.ClaimToken, (Guid?)null).SetProperty(f => f.ClaimedUntil, (DateTime?)null),
                    CancellationToken.None);
            }
        }
        catch (Exception ex) when (StorageErrors.IsUnavailable(ex))
        {
            // The lease runs out on its own.
        }
    }

    private async Task RescheduleAsync(ContactFetchRecord row, Exception failure, HubSpotEnrichmentOptions settings)
    {
        var attempts = row.Attempts + 1;
        if (attempts >= settings.MaxAttempts)
        {
            HubSpotEnrichmentTelemetry.Count("abandoned");
            logger.HubSpotFetchAbandoned(row.SourceId, attempts, failure.GetType().Name);
            await DeleteAsync(row, CancellationToken.None);
            return;
        }

        var delay = TimeSpan.FromTicks(Math.Min(settings.MaxRetryDelay.Ticks, settings.RetryDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
        var next = time.GetUtcNow().UtcDateTime + delay;
        var error = failure.GetType().Name;
        HubSpotEnrichmentTelemetry.Count("retried");
        logger.HubSpotFetchFailed(row.SourceId, attempts, delay, failure);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadHandoffDbContext>();
        using (await writeGate.EnterAsync(CancellationToken.None))
        {
            await db.ContactFetches().Where(f => f.Id == row.Id && f.ClaimToken == row.ClaimToken).ExecuteUpdateAsync(
                s => s.SetProperty(f => f.Attempts, attempts)
                    .SetProperty(f => f.NextAttemptAt, next)
                    .SetProperty(f => f.LastError, error)
                    .SetProperty(f => f.ClaimToken, (Guid?)null)
                    .SetProperty(f => f.ClaimedUntil, (DateTime?)null),
                CancellationToken.None);
        }
    }
}

internal static partial class HubSpotEnrichmentLog
{
    [LoggerMessage(5111, LogLevel.Warning, "Fetching a HubSpot contact for source {SourceId} failed (attempt {Attempt}); it is tried again in {Delay}")]
    public static partial void HubSpotFetchFailed(this ILogger logger, string sourceId, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(5112, LogLevel.Error, "A HubSpot contact of source {SourceId} is given up on after {Attempts} attempts ({Reason}); its next id-only event queues it again")]
    public static partial void HubSpotFetchAbandoned(this ILogger logger, string sourceId, int attempts, string reason);

    [LoggerMessage(5113, LogLevel.Warning, "A round of HubSpot contact fetches failed; it is tried again")]
    public static partial void HubSpotFetchRoundFailed(this ILogger logger, Exception exception);
}
