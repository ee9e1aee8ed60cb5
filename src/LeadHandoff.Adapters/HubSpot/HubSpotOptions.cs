using System.ComponentModel.DataAnnotations;
using LeadHandoff.Adapters.Delivery;

namespace LeadHandoff.Adapters.HubSpot;

/// HubSpot CRM through a private app. The defaults keep within the private-app burst limit (100 requests per 10 s;
/// raise <see cref="CrmAdapterOptions.RateLimitPermits"/> to 190 on Professional and Enterprise accounts).
public sealed class HubSpotOptions : CrmAdapterOptions
{
    public const string SectionName = "LeadHandoff:Adapters:HubSpot";

    public HubSpotOptions()
    {
        QueueName = "crm-hubspot";
        BaseUrl = new Uri("https://api.hubapi.com/");
    }

    /// The private app's access token (scopes: crm.objects.contacts.write, crm.objects.contacts.read).
    public string? AccessToken { get; set; }

    public string LifecycleStage { get; set; } = "marketingqualifiedlead";

    /// <c>hs_lead_status</c> set on the contact.
    public string LeadStatus { get; set; } = "NEW";

    /// A unique-value property on notes holding the handoff id, so a redelivered handoff updates its note.
    public string NoteIdProperty { get; set; } = "leadhandoff_handoff_id";

    /// Handoffs upserted in one batch call (HubSpot accepts at most 100).
    [Range(1, 100)]
    public int BatchSize { get; set; } = 100;

    /// How long a batch waits for more handoffs before it is sent.
    public TimeSpan BatchTimeLimit { get; set; } = TimeSpan.FromMilliseconds(200);
}
