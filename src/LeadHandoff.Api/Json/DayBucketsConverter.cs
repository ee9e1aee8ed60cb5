using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadHandoff.Api.Json;

/// The engagement day buckets (event type → UTC day → count), stored as <c>{"pageViewed":[day,count,Δday,count,…]}</c>:
/// days ascending, each after the first as the gap from the previous one. A long-lived lead has a few thousand
/// buckets and its state is read and written on every event, so this form — a quarter of the size of an object per
/// type, with no property names to match — is what keeps a 10,000-interaction lead's per-event cost low.
internal sealed class DayBucketsConverter : JsonConverter<Dictionary<string, Dictionary<int, int>>>
{
    public override Dictionary<string, Dictionary<int, int>> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(reader.TokenType, JsonTokenType.StartObject);
        var result = new Dictionary<string, Dictionary<int, int>>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var type = reader.GetString()!;
            reader.Read();
            var days = new Dictionary<int, int>();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                // The plain object form ({"20412": 3}) is read too.
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var day = int.Parse(reader.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture);
                    reader.Read();
                    days[day] = reader.GetInt32();
                }
            }
            else
            {
                Expect(reader.TokenType, JsonTokenType.StartArray);
                var previous = 0;
                var first = true;
                while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    var day = first ? reader.GetInt32() : previous + reader.GetInt32();
                    reader.Read();
                    days[day] = reader.GetInt32();
                    previous = day;
                    first = false;
                }
            }

            result[type] = days;
        }

        return result;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, Dictionary<int, int>> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (type, days) in value)
        {
            writer.WriteStartArray(type);
            var previous = 0;
            var first = true;
            foreach (var day in days.Keys.Order())
            {
                writer.WriteNumberValue(first ? day : day - previous);
                writer.WriteNumberValue(days[day]);
                previous = day;
                first = false;
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void Expect(JsonTokenType actual, JsonTokenType expected)
    {
        if (actual != expected)
        {
            throw new JsonException($"Engagement day buckets: expected {expected}, found {actual}.");
        }
    }
}
