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

    /// The kind's own settings of one source, checked at start-up; each message names the setting after <paramref name="where"/>.
    IEnumerable<string> ValidateOptions(string where, SourceOptions options) => [];

    SignatureCheck Verify(WebhookRequest request, IReadOnlyList<byte[]> keys, DateTimeOffset now);

    ParseOutcome Parse(WebhookRequest request);

    /// Called once the request's events are durably stored, for follow-up work that must not delay the answer.
    void Stored(WebhookSource source, IReadOnlyList<IncomingEvent> events)
    {
    }
}

/// One webhook request as received: the raw bytes exactly as signed, and what a verifier may need of the request line.
/// <param name="Url">The URL the platform called (configured, forwarded or seen), with the query as sent.</param>
/// <param name="ReceivedAt">When the request arrived; the event time of platforms that send none.</param>
internal sealed record WebhookRequest(
    string SourceId,
    IHeaderDictionary Headers,
    ReadOnlyMemory<byte> Body,
    string Method = "POST",
    string Url = "",
    IQueryCollection? Query = null,
    SourceOptions? Options = null,
    DateTimeOffset ReceivedAt = default)
{
    public SourceOptions Settings => Options ?? SourceOptions.Empty;

    public string? QueryValue(string name) => Query is not null && Query.TryGetValue(name, out var value) ? value.ToString() : null;
}

internal readonly record struct SignatureCheck(bool IsValid, string? Failure)
{
    public static SignatureCheck Valid => new(true, null);

    public static SignatureCheck Invalid(string failure) => new(false, failure);
}

internal sealed record ParseOutcome(IReadOnlyList<IncomingEvent>? Events, IDictionary<string, string[]>? Errors)
{
    public static ParseOutcome Parsed(IReadOnlyList<IncomingEvent> events) => new(events, null);

    public static ParseOutcome Invalid(IDictionary<string, string[]> errors) => new(null, errors);

    public static ParseOutcome Invalid(string field, string message) => new(null, new Dictionary<string, string[]> { [field] = [message] });
}
