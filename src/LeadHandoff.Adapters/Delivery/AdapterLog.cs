using Microsoft.Extensions.Logging;

namespace LeadHandoff.Adapters.Delivery;

internal static partial class AdapterLog
{
    [LoggerMessage(5001, LogLevel.Information, "Handoff {HandoffId} delivered to {Crm} as record {CrmRecordId}")]
    public static partial void Delivered(this ILogger logger, Guid handoffId, string crm, string crmRecordId);

    [LoggerMessage(5002, LogLevel.Warning, "Handoff {HandoffId} not delivered to {Crm} (attempt {Attempt}): {Reason}; it will be retried")]
    public static partial void Retrying(this ILogger logger, Guid handoffId, string crm, int attempt, string reason);

    [LoggerMessage(5003, LogLevel.Error, "Handoff {HandoffId} could not be delivered to {Crm}: {Reason}; it goes to the error queue")]
    public static partial void Failed(this ILogger logger, Guid handoffId, string crm, string reason);

    [LoggerMessage(5004, LogLevel.Information, "{Crm} access token fetched ({Cause})")]
    public static partial void TokenFetched(this ILogger logger, string crm, string cause);

    [LoggerMessage(5005, LogLevel.Warning, "{Crm} reports {Used} of {Allowed} daily API requests used")]
    public static partial void ApiUsageHigh(this ILogger logger, string crm, long used, long allowed);

    [LoggerMessage(5006, LogLevel.Information, "Re-drove {Count} dead-lettered handoffs from {ErrorQueue} to {Queue}")]
    public static partial void Redriven(this ILogger logger, int count, string errorQueue, string queue);
}
