using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Telemetry;

namespace LeadHandoff.Api.Errors;

/// Stable problem <c>type</c>s clients can switch on.
internal static class Problems
{
    private const string Prefix = "urn:leadhandoff:problem:";

    public const string Validation = Prefix + "validation";
    public const string UnknownSource = Prefix + "unknown-source";
    public const string InvalidSignature = Prefix + "invalid-signature";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string NotFound = Prefix + "not-found";
    public const string StageConflict = Prefix + "stage-conflict";
    public const string Busy = Prefix + "busy";
    public const string NotStored = Prefix + "not-stored";
    public const string Unexpected = Prefix + "unexpected";

    public static ProblemHttpResult Problem(int status, string type, string title, string? detail = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type);

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(errors, detail: detail, title: "The request is invalid.", type: Validation);

    public static IServiceCollection AddProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var activity = context.HttpContext.Features.Get<IHttpActivityFeature>()?.Activity ?? Activity.Current;
            context.ProblemDetails.Extensions["traceId"] = activity?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<UnhandledExceptionHandler>();
        return services;
    }
}

/// The one place an unexpected exception becomes a response: logged with the trace id, answered as problem details.
internal sealed class UnhandledExceptionHandler(IProblemDetailsService problemDetails, ILogger<UnhandledExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        logger.UnhandledException(httpContext.Request.Method, httpContext.Request.Path, exception);
        var (status, type, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, Problems.Validation, "The request could not be read."),
            OperationCanceledException => (StatusCodes.Status503ServiceUnavailable, Problems.NotStored, "The service is shutting down; retry."),
            _ when StorageErrors.IsUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, Problems.NotStored, "The database is unavailable; nothing was changed, retry."),
            _ when StorageErrors.IsContention(exception) => (StatusCodes.Status503ServiceUnavailable, Problems.NotStored, "Other writers kept changing the same records; nothing was changed, retry."),
            _ => (StatusCodes.Status500InternalServerError, Problems.Unexpected, "An unexpected error occurred."),
        };
        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Type = type, Title = title },
        });
    }
}
