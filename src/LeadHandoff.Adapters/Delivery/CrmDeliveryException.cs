namespace LeadHandoff.Adapters.Delivery;

/// A CRM call that did not land the handoff. <see cref="Reason"/> is a code safe for logs and metrics (no PII);
/// a retryable failure is retried with back-off, a permanent one goes straight to the error queue.
public sealed class CrmDeliveryException : Exception
{
    public CrmDeliveryException(string reason, bool retryable, Exception? innerException = null)
        : base($"CRM delivery failed: {reason}", innerException)
    {
        Reason = reason;
        Retryable = retryable;
    }

    public CrmDeliveryException()
        : this("unknown", retryable: true)
    {
    }

    public CrmDeliveryException(string message)
        : this(message, retryable: true)
    {
    }

    public CrmDeliveryException(string message, Exception innerException)
        : this(message, retryable: true, innerException)
    {
    }

    public string Reason { get; }

    public bool Retryable { get; }

    /// Handoffs of the same call that did land (or were refused for good) before the failure: when the retries run
    /// out, these are reported as they are, and only the others as failed.
    internal IReadOnlyList<DeliveryResult> Settled { get; private init; } = [];

    public static CrmDeliveryException Permanent(string reason) => new(reason, retryable: false);

    public static CrmDeliveryException Transient(string reason, Exception? inner = null) => new(reason, retryable: true, inner);

    /// A retryable failure of part of a batch; the whole batch is retried (every CRM call is an upsert).
    internal static CrmDeliveryException Partial(string reason, IReadOnlyList<DeliveryResult> settled, Exception? inner = null) =>
        new(reason, retryable: true, inner) { Settled = settled };
}
