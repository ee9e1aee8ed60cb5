using System.Diagnostics.Metrics;
using LeadHandoff.ServiceDefaults;

namespace LeadHandoff.Api.Ingestion;

internal static partial class LeadMergeTelemetry
{
    private static readonly Meter Meter = new(ServiceDefaultsExtensions.TelemetryName);

    private static readonly Counter<long> Merges = Meter.CreateCounter<long>(
        "leadhandoff.leads.merged", "{merge}", "Lead records merged into another because an event proved them one person, per reason.");

    public static void Merged(string reason) => Merges.Add(1, new KeyValuePair<string, object?>("reason", reason));

    [LoggerMessage(1010, LogLevel.Information, "Lead {LoserId} merged into lead {WinnerId} ({Reason})")]
    public static partial void LeadsMerged(this ILogger logger, Guid loserId, Guid winnerId, string reason);
}
