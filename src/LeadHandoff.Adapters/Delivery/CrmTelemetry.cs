using System.Diagnostics;
using System.Diagnostics.Metrics;
using LeadHandoff.ServiceDefaults;

namespace LeadHandoff.Adapters.Delivery;

/// Spans and instruments of the adapters, under the service's one ActivitySource and Meter name. Tags carry the CRM,
/// the outcome and reason codes; never an email or phone number.
internal static class CrmTelemetry
{
    public static readonly ActivitySource Source = new(ServiceDefaultsExtensions.TelemetryName);

    private static readonly Meter Meter = new(ServiceDefaultsExtensions.TelemetryName);

    public static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "leadhandoff.crm.deliveries", "{handoff}", "Handoff delivery attempts per CRM and outcome (delivered, retrying, failed).");

    public static readonly Histogram<double> DeliveryDuration = Meter.CreateHistogram<double>(
        "leadhandoff.crm.delivery.duration", "ms", "Time to land one handoff (or one batch) in the CRM.");

    public static readonly Histogram<double> HandoffAge = Meter.CreateHistogram<double>(
        "leadhandoff.crm.handoff.age", "ms", "Time from the lead qualifying to its record confirmed by the CRM.");

    public static readonly Counter<long> TokenRefreshes = Meter.CreateCounter<long>(
        "leadhandoff.crm.token.refreshes", "{token}", "Access tokens fetched, per CRM and cause (initial, expired).");

    public static readonly Histogram<double> ApiUsage = Meter.CreateHistogram<double>(
        "leadhandoff.crm.api.usage", "1", "Share of the CRM's daily API allowance in use, as the CRM reports it.");

    public static TagList Tags(string crm, string outcome, string? reason = null)
    {
        var tags = new TagList { { "crm", crm }, { "outcome", outcome } };
        if (reason is not null)
        {
            tags.Add("reason", reason);
        }

        return tags;
    }
}
