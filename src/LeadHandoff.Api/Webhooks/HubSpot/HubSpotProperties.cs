using System.Text.Json;
using LeadHandoff.Api.Sources;

namespace LeadHandoff.Api.Webhooks.HubSpot;

/// HubSpot contact property names and where they land on the canonical lead.
internal static class HubSpotProperties
{
    public const string System = "hubspot";

    private static readonly Dictionary<string, string> Canonical = new(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = "email",
        ["firstname"] = "firstName",
        ["lastname"] = "lastName",
        ["phone"] = "phone",
        ["mobilephone"] = "phone",
        ["company"] = "company",
        ["jobtitle"] = "jobTitle",
        ["numemployees"] = "companySize",
        ["website"] = "website",
        ["country"] = "country",
        ["industry"] = "industry",
        ["hubspotscore"] = "score",
    };

    // Kept as custom fields: the stages and status marketing and sales argue about. Other hs_ properties are
    // HubSpot's bookkeeping and would only bloat every lead.
    private static readonly HashSet<string> Ignored = new(StringComparer.OrdinalIgnoreCase)
    {
        "createdate", "lastmodifieddate", "hs_object_id", "vid", "canonical-vid",
    };

    public static bool IsScore(string property) => property.Equals("hubspotscore", StringComparison.OrdinalIgnoreCase);

    public static bool IsStage(string property) => property.Equals("lifecyclestage", StringComparison.OrdinalIgnoreCase);

    /// One property onto the contact: canonical fields by name, the rest as custom fields.
    public static void Apply(ContactBuilder contact, string property, string? value)
    {
        if (Canonical.TryGetValue(property, out var field))
        {
            if (field == "email" && value is not null && !Domain.Leads.EmailAddress.IsPlausible(value.Trim()))
            {
                return;
            }

            if (field == "phone" && contact.Phone is not null && property.Equals("mobilephone", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            contact.Set(field, value);
            return;
        }

        if (!Ignored.Contains(property) && (!property.StartsWith("hs_", StringComparison.OrdinalIgnoreCase)
            || property.Equals("hs_lead_status", StringComparison.OrdinalIgnoreCase)))
        {
            contact.Custom(property, value);
        }
    }

    /// A property bag as HubSpot sends it: values as scalars (CRM API v3, new workflow actions) or as
    /// <c>{ "value": … }</c> objects (the legacy contact format of workflow webhooks).
    public static void ApplyAll(ContactBuilder contact, JsonElement properties)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var value = property.Value.ValueKind == JsonValueKind.Object
                ? PlatformEvents.Text(property.Value, "value")
                : PlatformEvents.Text(property.Value);
            Apply(contact, property.Name, value);
        }
    }

    public static string? Value(JsonElement properties, string name)
    {
        if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? PlatformEvents.Text(value, "value") : PlatformEvents.Text(value);
    }
}
