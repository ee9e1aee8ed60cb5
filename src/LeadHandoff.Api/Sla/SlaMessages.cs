using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Contracts.V1;
using MassTransit;

namespace LeadHandoff.Api.Sla;

/// The SLA loop's messages as they travel through our outbox: typed, serialized without reflection, and with message
/// ids derived from what they are about, so a re-publication is recognisable downstream.
internal static class SlaMessages
{
    public const string SlaBreachedType = "LeadHandoff.Contracts.V1.SlaBreached";
    public const string SlaAtRiskType = "LeadHandoff.Contracts.V1.SlaAtRisk";
    public const string LeadRecycledType = "LeadHandoff.Contracts.V1.LeadRecycled";
    public const string LeadDisqualifiedType = "LeadHandoff.Contracts.V1.LeadDisqualified";

    public static OutboxMessageRecord Outbox<T>(T message, string type, Guid messageId, DateTime now, string? traceParent)
        where T : class => new()
        {
            MessageId = messageId,
            MessageType = type,
            Payload = JsonSerializer.Serialize(message, typeof(T), SlaJson.Default),
            CreatedAt = now,
            AvailableAt = now,
            TraceParent = traceParent,
        };

    /// A name-based id (the first 16 bytes of a SHA-256 of the parts, as a version 8 GUID).
    public static Guid IdOf(params string[] parts)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', parts)), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    /// Publishes an outbox row of one of the SLA types; false when the type is not one of them.
    public static async Task<bool> TryPublishAsync(IPublishEndpoint publisher, OutboxMessageRecord row, CancellationToken cancellationToken)
    {
        switch (row.MessageType)
        {
            case SlaBreachedType:
                await Publish(publisher, row, SlaJson.Default.SlaBreached, cancellationToken);
                return true;
            case SlaAtRiskType:
                await Publish(publisher, row, SlaJson.Default.SlaAtRisk, cancellationToken);
                return true;
            case LeadRecycledType:
                await Publish(publisher, row, SlaJson.Default.LeadRecycled, cancellationToken);
                return true;
            case LeadDisqualifiedType:
                await Publish(publisher, row, SlaJson.Default.LeadDisqualified, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    private static Task Publish<T>(IPublishEndpoint publisher, OutboxMessageRecord row, JsonTypeInfo<T> info, CancellationToken cancellationToken)
        where T : class
    {
        var message = JsonSerializer.Deserialize(row.Payload, info)!;
        return publisher.Publish(message, context => context.MessageId = row.MessageId, cancellationToken);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SlaBreached))]
[JsonSerializable(typeof(SlaAtRisk))]
[JsonSerializable(typeof(LeadRecycled))]
[JsonSerializable(typeof(LeadDisqualified))]
internal sealed partial class SlaJson : JsonSerializerContext;
