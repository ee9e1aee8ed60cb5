using LeadHandoff.Adapters.Delivery;

namespace LeadHandoff.Adapters.GenericHttp;

/// POSTs each handoff to <see cref="CrmAdapterOptions.BaseUrl"/>, signed like the webhooks LeadHandoff receives.
public sealed class GenericHttpOptions : CrmAdapterOptions
{
    public const string SectionName = "LeadHandoff:Adapters:GenericHttp";

    public GenericHttpOptions()
    {
        QueueName = "crm-generic-http";
    }

    /// <c>whsec_</c> + base64 key of at least 16 bytes, shared with the receiver.
    public string? Secret { get; set; }

    /// The name reported in <c>HandoffDelivered.Crm</c>.
    public string CrmName { get; set; } = "generic-http";
}
