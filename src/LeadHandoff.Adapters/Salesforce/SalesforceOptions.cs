using System.ComponentModel.DataAnnotations;
using LeadHandoff.Adapters.Delivery;

namespace LeadHandoff.Adapters.Salesforce;

/// Salesforce through a connected app with the OAuth 2.0 client-credentials flow. <see cref="CrmAdapterOptions.BaseUrl"/>
/// is the org's My Domain login URL; the REST calls go to the instance URL the token response names.
public sealed class SalesforceOptions : CrmAdapterOptions
{
    public const string SectionName = "LeadHandoff:Adapters:Salesforce";

    public SalesforceOptions()
    {
        QueueName = "crm-salesforce";
        RateLimitPermits = 25;
        RateLimitWindow = TimeSpan.FromSeconds(1);
    }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    [RegularExpression(@"^v\d+\.\d$")]
    public string ApiVersion { get; set; } = "v62.0";

    /// External-id field on Lead holding LeadHandoff's lead id: the upsert key, so a redelivery updates the Lead.
    public string LeadExternalIdField { get; set; } = "LeadHandoff_Id__c";

    /// External-id field on Task holding the handoff id: one follow-up task per handoff, however often delivered.
    public string TaskExternalIdField { get; set; } = "LeadHandoff_Handoff_Id__c";

    /// Sends <c>Sforce-Auto-Assign: TRUE</c> so the org's lead assignment rules pick the owner.
    public bool AutoAssign { get; set; } = true;

    /// Share of the daily API allowance (from <c>Sforce-Limit-Info</c>) above which a warning is logged.
    [Range(0.0, 1.0)]
    public double ApiUsageWarning { get; set; } = 0.8;
}
