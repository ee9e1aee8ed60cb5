using System.Diagnostics;

namespace LeadHandoff.Api.Outbox;

internal static class OutboxMessageTypes
{
    public const string LeadHandoffRequested = "LeadHandoff.Contracts.V1.LeadHandoffRequested";
}

internal static class TraceParents
{
    public static string? Format(ActivityContext context) => context == default
        ? null
        : $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{(context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}";

    public static ActivityContext Parse(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
}
