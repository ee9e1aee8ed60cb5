using System.Diagnostics;
using LeadHandoff.Api.Errors;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Telemetry;
using LeadHandoff.Api.Webhooks.DeadLetters;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LeadHandoff.Api.Webhooks;

internal sealed record WebhookAccepted(int Accepted, int Duplicates, IReadOnlyList<string> EventIds);

internal static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/webhooks").WithTags("Webhooks");
        group.MapPost("/{source}", ReceiveAsync)
            .AddEndpointFilter<VerifiedWebhookFilter>()
            .WithName("ReceiveWebhook")
            .WithSummary("Receive one platform request (one or many events)")
            // No .Accepts(): the media type depends on the source's kind, and the filter answers 415 as problem details.
            .WithDescription("Body: the platform's payload for the source's kind (for `standard`, one canonical event or { \"events\": [...] }). Answers 202 only once every event is durably stored. Authenticated by the source's signature scheme.")
            .Produces<WebhookAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapDeadLetters();
        return app;
    }

    private static async Task<Results<Accepted<WebhookAccepted>, ValidationProblem, ProblemHttpResult>> ReceiveAsync(
        string source,
        HttpContext context,
        IngestionQueue queue,
        DeadLetterStore deadLetters,
        ILoggerFactory loggers)
    {
        var verified = VerifiedWebhookFilter.Get(context);
        var parsed = verified.Source.Kind.Parse(verified.Request);
        if (parsed.Errors is { } errors)
        {
            LeadHandoffTelemetry.RequestsRejected.Add(1, new("source", source), new("reason", "invalid"));
            loggers.CreateLogger(typeof(WebhookEndpoints)).WebhookRejected(source, "invalid body");
            var deadLetterId = await deadLetters.KeepAsync(verified.Request, errors, context.RequestAborted);
            return TypedResults.ValidationProblem(
                errors,
                detail: "The body does not hold valid events; no event was stored. The request is kept as a dead letter for inspection and re-ingestion.",
                title: "The request is invalid.",
                type: Problems.Validation,
                extensions: deadLetterId is { } kept ? new Dictionary<string, object?> { ["deadLetterId"] = kept } : null);
        }

        var request = new IngestRequest(verified.Source.Id, parsed.Events!, Activity.Current?.Context ?? default);
        if (!queue.TryEnqueue(request))
        {
            LeadHandoffTelemetry.RequestsRejected.Add(1, new("source", source), new("reason", "busy"));
            context.Response.Headers[HeaderNames.RetryAfter] = "1";
            return Problems.Problem(StatusCodes.Status429TooManyRequests, Problems.Busy, "Too many requests waiting to be stored; retry shortly.");
        }

        IngestResult result;
        try
        {
            // Not tied to the client's connection: once queued, the events are committed even if the caller left.
            result = await request.Completion;
        }
        catch (OperationCanceledException)
        {
            return NotStored(context, "The service is shutting down; nothing was stored, retry.");
        }
        catch (Exception ex) when (StorageErrors.IsUnavailable(ex))
        {
            LeadHandoffTelemetry.RequestsRejected.Add(1, new("source", source), new("reason", "storage-unavailable"));
            return NotStored(context, "The database is unavailable; nothing was stored, retry.");
        }
        catch (Exception ex) when (StorageErrors.IsContention(ex))
        {
            // Other writers kept changing the same leads through every attempt: contention, not a bad request.
            LeadHandoffTelemetry.RequestsRejected.Add(1, new("source", source), new("reason", "storage-contention"));
            return NotStored(context, "Other writers kept changing the same leads; nothing was stored, retry.");
        }

        verified.Source.Kind.Stored(verified.Source, parsed.Events!);
        Activity.Current?.SetTag("leadhandoff.events.accepted", result.Accepted);
        Activity.Current?.SetTag("leadhandoff.events.duplicates", result.Duplicates);
        return TypedResults.Accepted((string?)null, new WebhookAccepted(result.Accepted, result.Duplicates, result.EventIds));
    }

    private static ProblemHttpResult NotStored(HttpContext context, string title)
    {
        context.Response.Headers[HeaderNames.RetryAfter] = "5";
        return Problems.Problem(StatusCodes.Status503ServiceUnavailable, Problems.NotStored, title);
    }
}
