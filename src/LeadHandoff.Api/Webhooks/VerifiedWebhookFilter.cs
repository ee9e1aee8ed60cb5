using System.Buffers;
using LeadHandoff.Api.Errors;
using LeadHandoff.Api.Sources;
using LeadHandoff.Api.Telemetry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LeadHandoff.Api.Webhooks;

internal sealed record VerifiedWebhook(WebhookSource Source, WebhookRequest Request);

/// Everything a webhook must pass before its body is even parsed: a known source, the platform's media type, a
/// body within the limit, and a valid signature over the raw bytes.
internal sealed class VerifiedWebhookFilter(
    SourceRegistry sources,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<VerifiedWebhookFilter> logger) : IEndpointFilter
{
    private static readonly object Key = new();

    public static VerifiedWebhook Get(HttpContext context) => (VerifiedWebhook)context.Items[Key]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var sourceId = (string)http.GetRouteValue("source")!;
        if (!sources.TryGet(sourceId, out var source))
        {
            // Tagged "unknown", not with the caller's string: metric series must not grow with whatever is posted.
            return Reject("unknown", "unknown-source", Problems.Problem(
                StatusCodes.Status404NotFound, Problems.UnknownSource, "Unknown webhook source.", $"No source '{sourceId}' is configured."));
        }

        if (!AcceptsMediaType(http.Request.ContentType, source.Kind.MediaTypes))
        {
            return Reject(sourceId, "media-type", Problems.Problem(
                StatusCodes.Status415UnsupportedMediaType,
                Problems.UnsupportedMediaType,
                "Unsupported media type.",
                $"Source '{sourceId}' accepts {string.Join(" or ", source.Kind.MediaTypes)}, not '{http.Request.ContentType}'."));
        }

        var limit = options.Value.MaxBodyBytes;
        var body = await ReadBodyAsync(http, limit);
        if (body is null)
        {
            return Reject(sourceId, "too-large", Problems.Problem(
                StatusCodes.Status413PayloadTooLarge, Problems.PayloadTooLarge, "The body is too large.", $"At most {limit} bytes are accepted."));
        }

        var now = time.GetUtcNow();
        var request = new WebhookRequest(
            source.Id,
            http.Request.Headers,
            body,
            http.Request.Method,
            PublicUrl(http, source.Options),
            http.Request.Query,
            source.Options,
            now);
        var check = source.Kind.Verify(request, source.Keys, now);
        if (!check.IsValid)
        {
            return Reject(sourceId, "signature", Problems.Problem(
                StatusCodes.Status401Unauthorized, Problems.InvalidSignature, "The request's signature is missing or invalid.", check.Failure));
        }

        http.Items[Key] = new VerifiedWebhook(source, request);
        return await next(context);
    }

    /// The URL the platform called, for signatures that cover it (query string as sent, escapes untouched): the
    /// configured public URL, else the scheme and host a proxy forwarded (a forged value only makes the signature
    /// fail), else what Kestrel saw.
    private static string PublicUrl(HttpContext http, SourceOptions options)
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path + http.Request.QueryString;
        if (!string.IsNullOrWhiteSpace(options.PublicUrl))
        {
            var query = target.IndexOf('?', StringComparison.Ordinal);
            return query < 0 ? options.PublicUrl : options.PublicUrl + target[query..];
        }

        var headers = http.Request.Headers;
        var scheme = FirstValue(headers["X-Forwarded-Proto"]) ?? http.Request.Scheme;
        var host = FirstValue(headers["X-Forwarded-Host"]) ?? http.Request.Host.Value;
        return $"{scheme}://{host}{target}";
    }

    private static string? FirstValue(string? header) =>
        string.IsNullOrWhiteSpace(header) ? null : header.Split(',')[0].Trim();

    private object Reject(string sourceId, string reason, object result)
    {
        LeadHandoffTelemetry.RequestsRejected.Add(1, new("source", sourceId), new("reason", reason));
        logger.WebhookRejected(sourceId, reason);
        return result;
    }

    private static bool AcceptsMediaType(string? contentType, IReadOnlyList<string> accepted) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && accepted.Any(a => parsed.MediaType.Equals(a, StringComparison.OrdinalIgnoreCase))
        && (parsed.Charset.Length == 0 || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// The raw bytes, exactly as signed; null when they exceed the limit (checked before reading when declared).
    private static async Task<byte[]?> ReadBodyAsync(HttpContext http, long limit)
    {
        if (http.Request.ContentLength > limit)
        {
            return null;
        }

        var reader = http.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(http.RequestAborted);
            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return null;
            }

            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
