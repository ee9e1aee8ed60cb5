using System.Diagnostics.Metrics;
using LeadHandoff.ServiceDefaults;

namespace LeadHandoff.Api.Sources;

/// Platform events with no canonical meaning, stored as raw interactions of type <c>other</c>.
internal static class UnmappedEvents
{
    public const string Type = "other";

    private static readonly Meter Meter = new(ServiceDefaultsExtensions.TelemetryName);

    private static readonly Counter<long> Received = Meter.CreateCounter<long>(
        "leadhandoff.webhook.unmapped", "{event}", "Platform events stored as raw interactions, per source and platform event type.");

    public static void Count(string sourceId, string platformType)
    {
        // Platform types come from a verified request and are few per platform; long ones are cut to bound the series.
        var type = platformType.Length <= 64 ? platformType : platformType[..64];
        Received.Add(1, new KeyValuePair<string, object?>("source", sourceId), new KeyValuePair<string, object?>("type", type));
    }
}
