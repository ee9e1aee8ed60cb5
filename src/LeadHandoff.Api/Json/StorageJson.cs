using System.Text.Json;
using System.Text.Json.Serialization;
using LeadHandoff.Contracts.V1;
using LeadHandoff.Domain.Interactions;

namespace LeadHandoff.Api.Json;

/// A decision as stored on the lead and in the decision history.
internal sealed record StoredDecision(
    string Outcome,
    string PolicyVersion,
    IReadOnlyList<StoredVerdict> Rules,
    DateTimeOffset DecidedAt)
{
    public StoredScores? Scores { get; init; }
}

internal sealed record StoredScores(int Fit, int Engagement, string? Grade);

internal sealed record StoredVerdict(string RuleId, string Description, bool Matched, string? Observed);

/// Serialization of what the service stores as JSON text; source-generated, so no reflection per request.
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(DayBucketsConverter)])]
[JsonSerializable(typeof(InteractionStats))]
[JsonSerializable(typeof(StoredDecision))]
[JsonSerializable(typeof(IReadOnlyList<StoredVerdict>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(LeadHandoffRequested))]
internal sealed partial class StorageJson : JsonSerializerContext;
