using System.Text.Json;
using System.Text.Json.Serialization;
using LeadHandoff.Contracts.V1;

namespace LeadHandoff.Adapters;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LeadHandoffRequested))]
internal sealed partial class AdapterJson : JsonSerializerContext;
