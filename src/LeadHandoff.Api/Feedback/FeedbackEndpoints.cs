using LeadHandoff.Api.Errors;
using LeadHandoff.Domain.Stages;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LeadHandoff.Api.Feedback;

internal sealed record FeedbackBody(Guid? FeedbackId, string? Type, DateTimeOffset? At, string? Reason, string? By);

internal sealed record FeedbackAccepted(Guid FeedbackId, Guid HandoffId, string Status, string Stage, bool Duplicate);

internal static class FeedbackEndpoints
{
    private const int MaxText = 500;

    // Feedback stamped a little ahead of our clock is a CRM's clock skew; further ahead it is a mistake.
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public static IServiceCollection AddFeedback(this IServiceCollection services) => services.AddScoped<FeedbackProcessor>();

    public static IEndpointRouteBuilder MapFeedback(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/handoffs").WithTags("Handoffs")
            .MapPost("/{handoffId:guid}/feedback", PostAsync)
            .WithName("PostHandoffFeedback")
            .WithSummary("Sales feedback on a handoff (accepted, rejected, contactAttempted, contacted, opportunity, won, lost, recycled)")
            .WithDescription("Idempotent by feedbackId (or the Idempotency-Key header). Feedback that contradicts the stage machine is a 409 naming the current stage, and changes nothing.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Accepted<FeedbackAccepted>, ValidationProblem, ProblemHttpResult>> PostAsync(
        Guid handoffId,
        FeedbackBody body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        FeedbackProcessor processor,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!FeedbackTypes.TryParse(body.Type, out var type))
        {
            errors["type"] = [$"Required, one of {string.Join(", ", FeedbackTypes.Names)}."];
        }
        else if (FeedbackTypes.NeedsReason(type) && string.IsNullOrWhiteSpace(body.Reason))
        {
            errors["reason"] = [$"Required for '{FeedbackTypes.Name(type)}': the reasons are what the agreement is reviewed on."];
        }

        var now = time.GetUtcNow();
        if (body.At > now + FutureTolerance)
        {
            errors["at"] = ["Must not be in the future."];
        }

        if (body.Reason?.Length > MaxText)
        {
            errors["reason"] = [$"At most {MaxText} characters."];
        }

        if (body.By?.Length > 200)
        {
            errors["by"] = ["At most 200 characters."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "No feedback was recorded.");
        }

        var at = body.At ?? now;
        var feedbackId = body.FeedbackId
            ?? KeyId(idempotencyKey)
            ?? DerivedId(handoffId, FeedbackTypes.Name(type), at, body.Reason, body.By);
        var outcome = await processor.ApplyAsync(new FeedbackInput(feedbackId, handoffId, type, at, body.Reason, body.By, "api"), cancellationToken);
        return outcome switch
        {
            FeedbackApplied applied => TypedResults.Accepted((string?)null, new FeedbackAccepted(feedbackId, handoffId, applied.Status, applied.Stage, applied.Duplicate)),
            FeedbackConflict conflict => TypedResults.Problem(
                detail: conflict.Reason,
                statusCode: StatusCodes.Status409Conflict,
                title: $"The feedback contradicts the lead's stage ({conflict.Stage}); nothing was changed.",
                type: Problems.StageConflict,
                extensions: new Dictionary<string, object?> { ["currentStage"] = conflict.Stage, ["handoffState"] = conflict.State }),
            FeedbackBeforeHandoff early => Problems.Invalid(
                new Dictionary<string, string[]> { ["at"] = [$"Must not be before the handoff was created ({early.HandoffCreatedAt:O})."] },
                "No feedback was recorded."),
            _ => Problems.Problem(StatusCodes.Status404NotFound, Problems.NotFound, "Handoff not found."),
        };
    }

    private static Guid? KeyId(string? key) => string.IsNullOrWhiteSpace(key)
        ? null
        : Guid.TryParse(key, out var id) ? id : Hashed("key", key);

    // Without an explicit id, the same feedback sent twice (same type, time, reason and author) is one feedback.
    private static Guid DerivedId(Guid handoffId, string type, DateTimeOffset at, string? reason, string? by) =>
        Hashed(handoffId.ToString(), type, at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), reason ?? string.Empty, by ?? string.Empty);

    private static Guid Hashed(params string[] parts) => Sla.SlaMessages.IdOf(parts);
}
