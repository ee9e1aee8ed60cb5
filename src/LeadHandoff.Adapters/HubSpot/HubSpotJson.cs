using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadHandoff.Adapters.HubSpot;

internal sealed record HubSpotUpsertRequest(IReadOnlyList<HubSpotUpsertInput> Inputs);

internal sealed record HubSpotUpsertInput(string IdProperty, string Id, IReadOnlyDictionary<string, string> Properties);

internal sealed record HubSpotBatchResponse(string? Status, IReadOnlyList<HubSpotBatchResult>? Results, IReadOnlyList<HubSpotBatchError>? Errors);

/// An upserted object (<c>id</c>, <c>properties</c>) or, from the associations endpoint, a created link
/// (<c>from</c>, <c>to</c>).
internal sealed record HubSpotBatchResult(string? Id, IReadOnlyDictionary<string, string?>? Properties, bool? New, HubSpotObjectId? From, HubSpotObjectId? To);

internal sealed record HubSpotBatchError(string? Status, string? Category, string? Message, IReadOnlyDictionary<string, IReadOnlyList<string>>? Context);

internal sealed record HubSpotAssociateRequest(IReadOnlyList<HubSpotAssociateInput> Inputs);

internal sealed record HubSpotAssociateInput(HubSpotObjectId From, HubSpotObjectId To);

internal sealed record HubSpotObjectId(string Id);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HubSpotUpsertRequest))]
[JsonSerializable(typeof(HubSpotBatchResponse))]
[JsonSerializable(typeof(HubSpotAssociateRequest))]
internal sealed partial class HubSpotJson : JsonSerializerContext;
