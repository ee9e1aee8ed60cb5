using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LeadHandoff.Api.Errors;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Sources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace LeadHandoff.Api.Webhooks.DeadLetters;

internal sealed record DeadLetterView(
    long Id,
    string SourceId,
    DateTimeOffset ReceivedAt,
    string? ContentType,
    string Status,
    int Attempts,
    DateTimeOffset? ReingestedAt,
    IReadOnlyDictionary<string, string[]> Errors,
    IReadOnlyDictionary<string, string> Headers,
    string Body);

internal sealed record DeadLetterPage(IReadOnlyList<DeadLetterView> Items, string? NextCursor);

/// Ops endpoints over the requests that could not be parsed: list them, read one, re-ingest it after a fix.
internal static class DeadLetterEndpoints
{
    public static RouteGroupBuilder MapDeadLetters(this RouteGroupBuilder webhooks)
    {
        var group = webhooks.MapGroup("/dead-letters");
        group.MapGet("/", ListAsync).WithName("ListWebhookDeadLetters")
            .WithSummary("Webhook requests that were verified but could not be parsed, newest first, paged");
        group.MapGet("/{id:long}", GetAsync).WithName("GetWebhookDeadLetter").WithSummary("One dead letter with its raw body");
        group.MapPost("/{id:long}/reingest", ReingestAsync).WithName("ReingestWebhookDeadLetter")
            .WithSummary("Parse a dead letter again with the source's current mapping and store its events")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return webhooks;
    }

    private static async Task<Results<Ok<DeadLetterPage>, ValidationProblem>> ListAsync(
        string? source, string? status, long? cursor, int? limit, LeadHandoffDbContext db, CancellationToken cancellationToken)
    {
        var size = limit ?? 50;
        if (size is < 1 or > 500)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["limit"] = ["Must be between 1 and 500."] });
        }

        if (status is not (null or DeadLetterStatus.Pending or DeadLetterStatus.Reingested))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["status"] = ["Must be pending or reingested."] });
        }

        var query = db.DeadLetters().AsNoTracking();
        if (source is not null)
        {
            query = query.Where(d => d.SourceId == source);
        }

        if (status is not null)
        {
            query = query.Where(d => d.Status == status);
        }

        if (cursor is { } before)
        {
            query = query.Where(d => d.Id < before);
        }

        var rows = await query.OrderByDescending(d => d.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = rows.Count > size ? rows[size - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new DeadLetterPage(rows.Take(size).Select(ToView).ToList(), next));
    }

    private static async Task<Results<Ok<DeadLetterView>, ProblemHttpResult>> GetAsync(long id, LeadHandoffDbContext db, CancellationToken cancellationToken)
    {
        var record = await db.DeadLetters().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return record is null ? NotFound() : TypedResults.Ok(ToView(record));
    }

    private static async Task<Results<Accepted<WebhookAccepted>, ValidationProblem, ProblemHttpResult>> ReingestAsync(
        long id,
        HttpContext context,
        LeadHandoffDbContext db,
        SourceRegistry sources,
        IngestionQueue queue,
        TimeProvider time,
        ILogger<DeadLetterStore> logger,
        CancellationToken cancellationToken)
    {
        var record = await db.DeadLetters().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }

        if (record.Status == DeadLetterStatus.Reingested)
        {
            return Problems.Problem(StatusCodes.Status409Conflict, Problems.Validation, "This dead letter was already re-ingested.");
        }

        if (!sources.TryGet(record.SourceId, out var source))
        {
            return Problems.Problem(StatusCodes.Status404NotFound, Problems.UnknownSource, "Unknown webhook source.", $"No source '{record.SourceId}' is configured any more.");
        }

        // Verified when it arrived; its signature timestamp is long past, so it is not verified again.
        var request = new WebhookRequest(
            record.SourceId, DeadLetterStore.Headers(record), record.Body, Options: source.Options,
            ReceivedAt: new DateTimeOffset(DateTime.SpecifyKind(record.ReceivedAt, DateTimeKind.Utc)));
        var parsed = source.Kind.Parse(request);
        record.Attempts++;
        if (parsed.Errors is { } errors)
        {
            record.ErrorsJson = JsonSerializer.Serialize(errors);
            await db.SaveChangesAsync(cancellationToken);
            logger.DeadLetterStillInvalid(id, record.SourceId, errors.Count);
            return Problems.Invalid(errors, "The body still does not hold valid events; the dead letter is kept.");
        }

        var ingest = new IngestRequest(record.SourceId, parsed.Events!, Activity.Current?.Context ?? default);
        if (!queue.TryEnqueue(ingest))
        {
            context.Response.Headers[HeaderNames.RetryAfter] = "1";
            return Problems.Problem(StatusCodes.Status429TooManyRequests, Problems.Busy, "Too many requests waiting to be stored; retry shortly.");
        }

        var result = await ingest.Completion;
        source.Kind.Stored(source, parsed.Events!);
        record.Status = DeadLetterStatus.Reingested;
        record.ReingestedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(CancellationToken.None);
        logger.DeadLetterReingested(id, record.SourceId, result.Accepted, result.Duplicates);
        return TypedResults.Accepted((string?)null, new WebhookAccepted(result.Accepted, result.Duplicates, result.EventIds));
    }

    private static DeadLetterView ToView(DeadLetterRecord record) => new(
        record.Id,
        record.SourceId,
        new DateTimeOffset(DateTime.SpecifyKind(record.ReceivedAt, DateTimeKind.Utc)),
        record.ContentType,
        record.Status,
        record.Attempts,
        record.ReingestedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null,
        JsonSerializer.Deserialize<Dictionary<string, string[]>>(record.ErrorsJson) ?? [],
        JsonSerializer.Deserialize<Dictionary<string, string>>(record.HeadersJson) ?? [],
        Encoding.UTF8.GetString(record.Body));

    private static ProblemHttpResult NotFound() =>
        Problems.Problem(StatusCodes.Status404NotFound, Problems.NotFound, "Dead letter not found.");
}
