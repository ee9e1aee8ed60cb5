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

    public static CrmDeliveryException Permanent(string reason) => new(reason, retryable: false);

    public static CrmDeliveryException Transient(string reason, Exception? inner = null) => new(reason, retryable: true, inner);
}
