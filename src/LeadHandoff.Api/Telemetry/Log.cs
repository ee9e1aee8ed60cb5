namespace LeadHandoff.Api.Telemetry;

internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Warning, "Webhook request to source {SourceId} rejected: {Reason}")]
    public static partial void WebhookRejected(this ILogger logger, string sourceId, string reason);

    [LoggerMessage(1002, LogLevel.Debug, "Committed {Requests} webhook requests ({Accepted} events accepted, {Duplicates} duplicates, {Handoffs} handoffs) in {ElapsedMs:F1} ms")]
    public static partial void BatchCommitted(this ILogger logger, int requests, int accepted, int duplicates, int handoffs, double elapsedMs);

    [LoggerMessage(1003, LogLevel.Warning, "Ingestion batch of {Requests} requests conflicted with a concurrent writer (attempt {Attempt}); retrying")]
    public static partial void BatchConflict(this ILogger logger, int requests, int attempt, Exception exception);

    [LoggerMessage(1004, LogLevel.Error, "Ingestion of a webhook request from source {SourceId} failed")]
    public static partial void IngestionFailed(this ILogger logger, string sourceId, Exception exception);

    [LoggerMessage(1005, LogLevel.Information, "Lead {LeadId} qualified under policy {PolicyVersion}: handoff {HandoffId}")]
    public static partial void LeadQualified(this ILogger logger, Guid leadId, string policyVersion, Guid handoffId);

    [LoggerMessage(1006, LogLevel.Information, "Lead {LeadId} disqualified under policy {PolicyVersion}: {RuleIds}")]
    public static partial void LeadDisqualified(this ILogger logger, Guid leadId, string policyVersion, string ruleIds);

    [LoggerMessage(1007, LogLevel.Warning, "Lead {LeadId} matched by email while external id {ExternalIdSystem} belongs to lead {OtherLeadId}; not merged")]
    public static partial void IdentityConflict(this ILogger logger, Guid leadId, string externalIdSystem, Guid otherLeadId);

    [LoggerMessage(1008, LogLevel.Warning, "Lead {LeadId} matched by external id but the event carries another email; the known email is kept")]
    public static partial void EmailConflict(this ILogger logger, Guid leadId);

    [LoggerMessage(1009, LogLevel.Warning, "Lead {LeadId} already has a {ExternalIdSystem} id; the event's other id is not attached")]
    public static partial void ExternalIdConflict(this ILogger logger, Guid leadId, string externalIdSystem);

    [LoggerMessage(2001, LogLevel.Warning, "Publishing {Count} outbox messages failed on attempt {Attempt}; next try at {NextAttemptAt:O}")]
    public static partial void PublishFailed(this ILogger logger, int count, int attempt, DateTime nextAttemptAt, Exception exception);

    [LoggerMessage(2002, LogLevel.Debug, "Published {Count} outbox messages")]
    public static partial void Published(this ILogger logger, int count);

    [LoggerMessage(2003, LogLevel.Error, "Outbox dispatch round failed")]
    public static partial void DispatchRoundFailed(this ILogger logger, Exception exception);

    [LoggerMessage(2004, LogLevel.Information, "Replay of handoff {HandoffId} queued as outbox message {OutboxId}")]
    public static partial void HandoffReplayRequested(this ILogger logger, Guid handoffId, long outboxId);

    [LoggerMessage(2005, LogLevel.Information, "Deleted {Count} published outbox rows past their retention")]
    public static partial void Pruned(this ILogger logger, int count);

    [LoggerMessage(3001, LogLevel.Information, "Qualification policy {PolicyVersion} loaded from {Path}")]
    public static partial void PolicyLoaded(this ILogger logger, string policyVersion, string path);

    [LoggerMessage(3002, LogLevel.Error, "The edited qualification policy {Path} was refused; policy {PolicyVersion} stays in force: {Errors}")]
    public static partial void PolicyRejected(this ILogger logger, string path, string policyVersion, string errors);

    [LoggerMessage(3003, LogLevel.Information, "Simulated policy {PolicyVersion} (candidate: {Candidate}): {Outcome} with {Interactions} added interactions")]
    public static partial void PolicySimulated(this ILogger logger, string policyVersion, bool candidate, string outcome, int interactions);

    [LoggerMessage(3004, LogLevel.Information, "Re-evaluation under policy {PolicyVersion} (dry run: {DryRun}): {Scanned} leads scanned, {Changed} would change or changed")]
    public static partial void Reevaluated(this ILogger logger, string policyVersion, bool dryRun, int scanned, int changed);

    [LoggerMessage(4001, LogLevel.Error, "Unhandled exception while serving {Method} {Path}")]
    public static partial void UnhandledException(this ILogger logger, string method, string path, Exception exception);
}
