using System.Text.Json;
using LeadHandoff.Adapters.Tests.LookAlikes;
using LeadHandoff.IntegrationTests.Infrastructure;
using LeadHandoff.Testing;

namespace LeadHandoff.Adapters.Tests.Flows;

internal static class Settings
{
    /// Short back-offs, so a storm and a recovery fit in a test's time.
    public static Dictionary<string, string?> Fast(string section) => new()
    {
        [$"{section}:Enabled"] = "true",
        [$"{section}:MessageRetryMinInterval"] = "00:00:00.200",
        [$"{section}:MessageRetryMaxInterval"] = "00:00:01",
        [$"{section}:MessageRetryIntervalDelta"] = "00:00:00.200",
        [$"{section}:MaxHttpRetryDelay"] = "00:00:02",
        [$"{section}:CircuitBreakDuration"] = "00:00:01",
        [$"{section}:AttemptTimeout"] = "00:00:05",
    };

    public static Dictionary<string, string?> GenericHttp(GenericTarget target) => With(Fast("LeadHandoff:Adapters:GenericHttp"), new()
    {
        ["LeadHandoff:Adapters:GenericHttp:BaseUrl"] = target.Url.ToString(),
        ["LeadHandoff:Adapters:GenericHttp:Secret"] = GenericTarget.Secret,
    });

    public static Dictionary<string, string?> RabbitMq(InfrastructureFixture infrastructure) => new()
    {
        ["LeadHandoff:Bus:Transport"] = "RabbitMq",
        ["ConnectionStrings:RabbitMq"] = infrastructure.RabbitMq.AmqpUri.ToString(),
        ["LeadHandoff:Outbox:PublishTimeout"] = "00:00:10",
        ["LeadHandoff:Outbox:MaxRetryDelay"] = "00:00:02",
    };

    public static Dictionary<string, string?> With(params Dictionary<string, string?>[] parts)
    {
        var merged = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var (key, value) in part)
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    public static async Task<List<JsonElement>> HandoffsAsync(WebhookClient client, string? status = null)
    {
        var page = await client.GetJsonAsync("/v1/handoffs?limit=500" + (status is null ? string.Empty : "&status=" + status));
        return page.GetProperty("items").EnumerateArray().ToList();
    }
}
