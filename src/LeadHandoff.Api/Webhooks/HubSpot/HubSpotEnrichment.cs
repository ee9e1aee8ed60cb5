using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Sources;
using LeadHandoff.Api.Telemetry;
using LeadHandoff.Domain.Events;
using LeadHandoff.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Webhooks.HubSpot;

internal sealed record ContactFetch(string SourceId, Uri BaseUrl, string AccessToken, string ContactId, ActivityContext Origin);

/// Contacts whose HubSpot events carried only an id, waiting to be fetched. Bounded: when full, a fetch is dropped and
/// counted (the contact is fetched again on its next event), never the webhook's answer delayed.
internal sealed class HubSpotEnrichmentQueue
{
    public const int Capacity = 10_000;

    private static readonly Meter Meter = new(ServiceDefaultsExtensions.TelemetryName);

    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>(
        "leadhandoff.hubspot.enrichment", "{contact}", "HubSpot contact fetches, per outcome (queued, dropped, skipped, fetched, missing, failed).");

    private readonly Channel<ContactFetch> _channel = Channel.CreateBounded<ContactFetch>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = false,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    public ChannelReader<ContactFetch> Reader => _channel.Reader;

    public static void Count(string outcome) => Outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Enqueue(ContactFetch fetch) => Count(_channel.Writer.TryWrite(fetch) ? "queued" : "dropped");
}

/// Fetches queued contacts from HubSpot's CRM API and ingests what it answers as a <c>leadUpdated</c> event of the
/// same source, so the id-only lead gains its email and profile (and meets the person's other records).
internal sealed class HubSpotEnrichmentService(
    HubSpotEnrichmentQueue queue,
    HubSpotContactsClient client,
    IngestionQueue ingestion,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<HubSpotEnrichmentService> logger) : BackgroundService
{
    private const int Workers = 4;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => DrainAsync(stoppingToken), stoppingToken)));

    private async Task DrainAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var fetch in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await FetchAsync(fetch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; queued fetches are redone on the contacts' next events.
        }
    }

    private async Task<bool> IsKnownAsync(ContactFetch fetch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadHandoffDbContext>();
        var key = LeadExternalIdRecord.KeyOf(HubSpotProperties.System, fetch.ContactId);
        return await db.LeadExternalIds.Where(x => x.Key == key)
            .Join(db.Leads, x => x.LeadId, l => l.Id, (_, l) => l.Email)
            .AnyAsync(email => email != null, cancellationToken);
    }

    private async Task FetchAsync(ContactFetch fetch, CancellationToken stoppingToken)
    {
        using var activity = LeadHandoffTelemetry.Source.StartActivity("hubspot fetch contact", ActivityKind.Client, fetch.Origin);
        activity?.SetTag("leadhandoff.source", fetch.SourceId);
        try
        {
            if (await IsKnownAsync(fetch, stoppingToken))
            {
                // The lead already has its email (from a workflow, another platform or an earlier fetch): HubSpot's
                // API quota is better spent on contacts we know nothing about.
                HubSpotEnrichmentQueue.Count("skipped");
                return;
            }

            var contact = await client.GetAsync(fetch.BaseUrl, fetch.AccessToken, fetch.ContactId, stoppingToken);
            if (contact is null)
            {
                HubSpotEnrichmentQueue.Count("missing");
                return;
            }

            var builder = new ContactBuilder().ExternalId(HubSpotProperties.System, contact.Id);
            HubSpotProperties.ApplyAll(builder, contact.Properties);
            var occurredAt = contact.UpdatedAt ?? time.GetUtcNow();
            var incoming = PlatformEvents.Mapped(
                $"crm-{contact.Id}-{occurredAt.ToUnixTimeMilliseconds()}", EventType.LeadUpdated, occurredAt, builder.Build(), null, contact.Json);
            var request = new IngestRequest(fetch.SourceId, [incoming], activity?.Context ?? fetch.Origin);
            while (!ingestion.TryEnqueue(request))
            {
                // The write queue is full of webhooks; they come first.
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, stoppingToken);
            }

            await request.Completion;
            HubSpotEnrichmentQueue.Count("fetched");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            HubSpotEnrichmentQueue.Count("failed");
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            logger.HubSpotFetchFailed(fetch.SourceId, ex);
        }
    }
}

internal static partial class HubSpotEnrichmentLog
{
    [LoggerMessage(5101, LogLevel.Warning, "Fetching a HubSpot contact for source {SourceId} failed; it is fetched again on the contact's next event")]
    public static partial void HubSpotFetchFailed(this ILogger logger, string sourceId, Exception exception);
}
