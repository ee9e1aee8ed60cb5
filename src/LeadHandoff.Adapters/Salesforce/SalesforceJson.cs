using System.Text.Json.Serialization;

namespace LeadHandoff.Adapters.Salesforce;

internal sealed record SalesforceToken(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("instance_url")] string? InstanceUrl);

internal sealed record SalesforceUpsertResult(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("success")] bool? Success,
    [property: JsonPropertyName("created")] bool? Created);

internal sealed record SalesforceError(
    [property: JsonPropertyName("errorCode")] string? ErrorCode,
    [property: JsonPropertyName("message")] string? Message);

internal sealed record SalesforceRecordId([property: JsonPropertyName("Id")] string? Id);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SalesforceToken))]
[JsonSerializable(typeof(SalesforceUpsertResult))]
[JsonSerializable(typeof(List<SalesforceError>))]
[JsonSerializable(typeof(SalesforceRecordId))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(bool))]
internal sealed partial class SalesforceJson : JsonSerializerContext;
