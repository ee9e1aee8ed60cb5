using System.Diagnostics;
using System.Diagnostics.Metrics;
using LeadHandoff.ServiceDefaults;

namespace LeadHandoff.Api.Telemetry;

/// The service's own spans and instruments. Tags carry ids, kinds and reason codes, never an email or phone number.
internal static class LeadHandoffTelemetry
{
    public static readonly ActivitySource Source = new(ServiceDefaultsExtensions.TelemetryName);

    private static readonly Meter Meter = new(ServiceDefaultsExtensions.TelemetryName);

    public static readonly Counter<long> EventsReceived = Meter.CreateCounter<long>(
        "leadhandoff.webhook.events", "{event}", "Events received per source and outcome (accepted, duplicate).");

    public static readonly Counter<long> RequestsRejected = Meter.CreateCounter<long>(
        "leadhandoff.webhook.rejected", "{request}", "Webhook requests refused, per source and reason.");

    public static readonly Counter<long> Decisions = Meter.CreateCounter<long>(
        "leadhandoff.qualification.decisions", "{decision}", "Qualification decisions that changed, per outcome.");

    public static readonly Counter<long> HandoffsCreated = Meter.CreateCounter<long>(
        "leadhandoff.handoffs.created", "{handoff}", "Handoffs created (leads that became MQL).");

    public static readonly Counter<long> BatchesRedone = Meter.CreateCounter<long>(
        "leadhandoff.ingest.batches_redone", "{batch}", "Ingestion batches redone after colliding with another writer, per cause (clash: a unique key taken first; contention: a deadlock or a changed lead version).");

    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "leadhandoff.ingest.batch.requests", "{request}", "Webhook requests committed per database transaction.");

    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "leadhandoff.ingest.commit.duration", "ms", "Time to process and commit one ingestion batch.");

    public static readonly Counter<long> OutboxPublished = Meter.CreateCounter<long>(
        "leadhandoff.outbox.published", "{message}", "Outbox messages published to the bus.");

    public static readonly Counter<long> OutboxFailed = Meter.CreateCounter<long>(
        "leadhandoff.outbox.failed", "{message}", "Outbox publications that failed and will be retried.");

    public static readonly Counter<long> HandoffsReplayed = Meter.CreateCounter<long>(
        "leadhandoff.handoffs.replayed", "{handoff}", "Handoffs queued for re-publication by an operator.");

    public static readonly Counter<long> PolicyReloads = Meter.CreateCounter<long>(
        "leadhandoff.policy.reloads", "{reload}", "Edits of the policy file, per outcome (loaded, rejected).");

    public static readonly Counter<long> PolicySimulations = Meter.CreateCounter<long>(
        "leadhandoff.policy.simulations", "{simulation}", "Policy simulations, per outcome and whether a candidate policy was sent.");

    public static readonly Counter<long> Reevaluations = Meter.CreateCounter<long>(
        "leadhandoff.policy.reevaluated", "{lead}", "Leads re-evaluated under the policy in force, per outcome change and mode (dryRun, apply).");

    public static readonly Histogram<double> OutboxLag = Meter.CreateHistogram<double>(
        "leadhandoff.outbox.lag", "ms", "Time from the outbox row's commit to its confirmed publication.");
}
