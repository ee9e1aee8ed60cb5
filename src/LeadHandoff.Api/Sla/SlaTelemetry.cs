using System.Diagnostics.Metrics;
using LeadHandoff.ServiceDefaults;

namespace LeadHandoff.Api.Sla;

/// Instruments of the SLA loop, on the service's meter. Tags carry kinds and outcomes, never lead data.
internal static class SlaTelemetry
{
    private static readonly Meter Meter = new(ServiceDefaultsExtensions.TelemetryName);

    public static readonly Counter<long> Feedback = Meter.CreateCounter<long>(
        "leadhandoff.feedback", "{feedback}", "Sales feedback received, per type, channel and outcome (applied, duplicate, conflict).");

    public static readonly Counter<long> Alerts = Meter.CreateCounter<long>(
        "leadhandoff.sla.alerts", "{alert}", "At-risk warnings and breaches raised, per deadline and kind.");

    public static readonly Counter<long> GiveUps = Meter.CreateCounter<long>(
        "leadhandoff.sla.giveups", "{handoff}", "Handoffs closed by the give-up rule, per action.");

    public static readonly Histogram<double> MonitorRound = Meter.CreateHistogram<double>(
        "leadhandoff.sla.monitor.round.duration", "ms", "Time of one SLA monitor round.");
}

internal static partial class SlaLog
{
    [LoggerMessage(5001, LogLevel.Information, "Feedback {FeedbackId} ({FeedbackType}) on handoff {HandoffId} applied: {FromStage} -> {ToStage}")]
    public static partial void FeedbackApplied(this ILogger logger, Guid feedbackId, string feedbackType, Guid handoffId, string fromStage, string toStage);

    [LoggerMessage(5002, LogLevel.Warning, "Feedback {FeedbackId} ({FeedbackType}) on handoff {HandoffId} refused in stage {Stage}: {Reason}")]
    public static partial void FeedbackRefused(this ILogger logger, Guid feedbackId, string feedbackType, Guid handoffId, string stage, string reason);

    [LoggerMessage(5003, LogLevel.Warning, "Feedback {FeedbackId} from the bus could not be applied: {Outcome}")]
    public static partial void BusFeedbackDropped(this ILogger logger, Guid feedbackId, string outcome);

    [LoggerMessage(5101, LogLevel.Warning, "SLA {Kind} on handoff {HandoffId}: {Deadline} due {DueAt:O}")]
    public static partial void AlertRaised(this ILogger logger, string kind, Guid handoffId, string deadline, DateTimeOffset dueAt);

    [LoggerMessage(5102, LogLevel.Information, "Handoff {HandoffId} given up after {Attempts} attempts: lead {LeadId} {Action}")]
    public static partial void GaveUp(this ILogger logger, Guid handoffId, int attempts, Guid leadId, string action);

    [LoggerMessage(5103, LogLevel.Error, "SLA monitor round failed")]
    public static partial void MonitorRoundFailed(this ILogger logger, Exception exception);
}
