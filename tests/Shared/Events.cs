using System.Text.Json;
using System.Text.Json.Nodes;

namespace LeadHandoff.Testing;

/// Canonical events for tests. The defaults qualify under the shipped default policy.
public static class Events
{
    public static JsonObject Qualifying(string email, string? eventId = null, string type = "formSubmitted", int score = 72) => new()
    {
        ["eventId"] = eventId ?? "evt_" + Guid.NewGuid().ToString("N"),
        ["type"] = type,
        // Recent, so that the default policy's time windows (recent activity, buying signals) see it.
        ["occurredAt"] = TimeProvider.System.GetUtcNow().AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ["lead"] = new JsonObject
        {
            ["email"] = email,
            ["firstName"] = "Jane",
            ["lastName"] = "Doe",
            ["phone"] = "+1 555 0100",
            ["company"] = "Acme",
            ["jobTitle"] = "VP Marketing",
            ["companySize"] = 250,
            ["website"] = "https://acme.io",
            ["country"] = "US",
            ["industry"] = "Software",
            ["score"] = score,
            ["externalIds"] = new JsonObject { ["hubspot"] = "hs-" + email },
            ["customFields"] = new JsonObject { ["budget"] = "50k" },
        },
        ["interaction"] = new JsonObject
        {
            ["channel"] = "web",
            ["name"] = "Pricing page",
            ["url"] = "https://vendor.example/pricing",
            ["campaign"] = "Q4-webinar",
            ["topics"] = new JsonArray("pricing", "integrations"),
        },
    };

    /// Three events of one person whose two records merge: the older record knows only a HubSpot id (and survives),
    /// the newer one an email and a Mautic id; the third event carries the email and the HubSpot id.
    public static JsonObject[] MergingRecords(string email, int olderScore, int newerScore)
    {
        var byHubSpotId = Qualifying(email, score: olderScore);
        byHubSpotId["lead"]!.AsObject().Remove("email");
        var byEmail = Qualifying(email, score: newerScore);
        byEmail["lead"]!["externalIds"] = new JsonObject { ["mautic"] = "m-" + email };
        return [byHubSpotId, byEmail, Qualifying(email, score: olderScore)];
    }

    public static string UniqueEmail(string domain = "acme.io") => $"lead-{Guid.NewGuid():N}@{domain}";

    public static string Json(this JsonNode node) => node.ToJsonString();

    public static string Batch(params JsonNode[] events) => new JsonObject { ["events"] = new JsonArray(events) }.ToJsonString();

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
