using System.Text.Json;
using System.Diagnostics.Metrics;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Sources;
using Microsoft.Extensions.Primitives;

namespace LeadHandoff.Api.Webhooks.DeadLetters;

/// Keeps what a platform sent when it could not be parsed, so nothing a platform delivered is lost to a mapping bug.
internal sealed class DeadLetterStore(LeadHandoffDbContext db, TimeProvider time, ILogger<DeadLetterStore> logger)
{
    // What parsers read besides the body; signatures and tokens are left out on purpose.
    private static readonly string[] KeptHeaders =
    [
        "Content-Type", "User-Agent", "webhook-id", "webhook-timestamp", "X-HubSpot-Request-Timestamp", "X-HubSpot-Signature-Version",
    ];

    private static readonly Meter Meter = new(ServiceDefaults.ServiceDefaultsExtensions.TelemetryName);

    private static readonly Counter<long> Stored = Meter.CreateCounter<long>(
        "leadhandoff.webhook.dead_letters", "{request}", "Verified webhook requests kept because their body could not be parsed, per source.");

    public async Task<long?> KeepAsync(WebhookRequest request, IDictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in KeptHeaders)
        {
            if (request.Headers.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value))
            {
                headers[name] = value.ToString();
            }
        }

        var record = new DeadLetterRecord
        {
            SourceId = request.SourceId,
            ReceivedAt = (request.ReceivedAt == default ? time.GetUtcNow() : request.ReceivedAt).UtcDateTime,
            ContentType = request.Headers.ContentType.ToString() is { Length: > 0 and <= 200 } type ? type : null,
            HeadersJson = JsonSerializer.Serialize(headers),
            Body = request.Body.ToArray(),
            ErrorsJson = JsonSerializer.Serialize(errors),
            Status = DeadLetterStatus.Pending,
        };
        try
        {
            db.DeadLetters().Add(record);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The platform still gets its 400 naming what is wrong; only the copy for inspection is missing.
            logger.DeadLetterNotStored(request.SourceId, ex);
            return null;
        }

        Stored.Add(1, new KeyValuePair<string, object?>("source", request.SourceId));
        logger.DeadLetterStored(request.SourceId, record.Id, errors.Count);
        return record.Id;
    }

    public static HeaderDictionary Headers(DeadLetterRecord record)
    {
        var headers = new HeaderDictionary();
        foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(record.HeadersJson) ?? [])
        {
            headers[name] = value;
        }

        return headers;
    }
}
