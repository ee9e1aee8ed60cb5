namespace LeadHandoff.Api.Webhooks.DeadLetters;

internal static partial class DeadLetterLog
{
    [LoggerMessage(5001, LogLevel.Warning, "Webhook request to source {SourceId} could not be parsed ({ErrorCount} errors); kept as dead letter {DeadLetterId}")]
    public static partial void DeadLetterStored(this ILogger logger, string sourceId, long deadLetterId, int errorCount);

    [LoggerMessage(5002, LogLevel.Error, "Webhook request to source {SourceId} could not be parsed and could not be kept as a dead letter")]
    public static partial void DeadLetterNotStored(this ILogger logger, string sourceId, Exception exception);

    [LoggerMessage(5003, LogLevel.Information, "Dead letter {DeadLetterId} of source {SourceId} re-ingested: {Accepted} events accepted, {Duplicates} duplicates")]
    public static partial void DeadLetterReingested(this ILogger logger, long deadLetterId, string sourceId, int accepted, int duplicates);

    [LoggerMessage(5004, LogLevel.Warning, "Dead letter {DeadLetterId} of source {SourceId} still does not parse ({ErrorCount} errors)")]
    public static partial void DeadLetterStillInvalid(this ILogger logger, long deadLetterId, string sourceId, int errorCount);
}
