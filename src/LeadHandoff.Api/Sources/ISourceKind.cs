using LeadHandoff.Api.Ingestion;

namespace LeadHandoff.Api.Sources;

/// A platform's way of sending webhooks: how to verify them and how to map them onto canonical events.
/// Everything a platform implies lives behind this seam, in its own folder.
internal interface ISourceKind
{
    string Name { get; }

    /// Media types the platform sends (compared without parameters).
    IReadOnlyList<string> MediaTypes { get; }

    /// Turns a configured secret into key material; throws <see cref="FormatException"/> naming what is wrong.
    byte[] DecodeSecret(string secret);

    SignatureCheck Verify(WebhookRequest request, IReadOnlyList<byte[]> keys, DateTimeOffset now);

    ParseOutcome Parse(WebhookRequest request);
}

internal sealed record WebhookRequest(
    string SourceId,
    IHeaderDictionary Headers,
    ReadOnlyMemory<byte> Body);

internal readonly record struct SignatureCheck(bool IsValid, string? Failure)
{
    public static SignatureCheck Valid => new(true, null);

    public static SignatureCheck Invalid(string failure) => new(false, failure);
}

internal sealed record ParseOutcome(IReadOnlyList<IncomingEvent>? Events, IDictionary<string, string[]>? Errors)
{
    public static ParseOutcome Parsed(IReadOnlyList<IncomingEvent> events) => new(events, null);

    public static ParseOutcome Invalid(IDictionary<string, string[]> errors) => new(null, errors);
}
