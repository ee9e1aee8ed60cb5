using LeadHandoff.IntegrationTests.Infrastructure;
using LeadHandoff.Testing;

namespace LeadHandoff.IntegrationTests.Flows;

internal static class Hosts
{
    /// The production shape: PostgreSQL and RabbitMQ, with short retry delays so recovery is quick to observe.
    public static Dictionary<string, string?> Production(InfrastructureFixture infrastructure, string connectionString) => new()
    {
        ["LeadHandoff:Storage:Provider"] = "Postgres",
        ["ConnectionStrings:LeadHandoff"] = connectionString,
        ["LeadHandoff:Bus:Transport"] = "RabbitMq",
        ["ConnectionStrings:RabbitMq"] = infrastructure.RabbitMq.AmqpUri.ToString(),
        ["LeadHandoff:Outbox:PublishTimeout"] = "00:00:10",
        ["LeadHandoff:Outbox:MaxRetryDelay"] = "00:00:02",
    };

    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];

    public static async Task<List<System.Text.Json.JsonElement>> HandoffsAsync(WebhookClient client, string? status = null)
    {
        var page = await client.GetJsonAsync("/v1/handoffs?limit=500" + (status is null ? string.Empty : "&status=" + status));
        return page.GetProperty("items").EnumerateArray().ToList();
    }
}
