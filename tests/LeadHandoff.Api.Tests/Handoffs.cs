using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadHandoff.Testing;

namespace LeadHandoff.Api.Tests;

/// Creates handoffs the way production does (a qualifying webhook) and sends sales feedback on them.
internal static class Handoffs
{
    public static async Task<(string HandoffId, string LeadId)> CreateAsync(WebhookClient client, DateTimeOffset? at = null)
    {
        var email = Events.UniqueEmail();
        using var response = await client.PostAsync(Events.Qualifying(email).Json(), timestamp: at);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var lead = await client.GetJsonAsync($"/v1/leads?email={Uri.EscapeDataString(email)}");
        var leadId = lead.GetProperty("id").GetString()!;
        var page = await client.GetJsonAsync("/v1/handoffs?limit=500");
        var handoff = page.GetProperty("items").EnumerateArray().Single(h => h.GetProperty("leadId").GetString() == leadId);
        return (handoff.GetProperty("id").GetString()!, leadId);
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> FeedbackAsync(
        WebhookClient client, string handoffId, string type, string? reason = null, Guid? feedbackId = null, DateTimeOffset? at = null)
    {
        using var response = await client.Http.PostAsJsonAsync($"/v1/handoffs/{handoffId}/feedback", new { feedbackId, type, reason, at, by = "seller-7" });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
