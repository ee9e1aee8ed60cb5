using System.Globalization;
using LeadHandoff.Domain.Leads;

namespace LeadHandoff.Domain.Qualification;

/// The profile fields rules may look at. Names, email and phone are deliberately absent: a rule on them would
/// copy PII into every decision that explains it; <c>emailDomain</c> is the useful part of an address.
public static class ProfileFields
{
    public const string CustomPrefix = "custom.";

    private static readonly Dictionary<string, Func<LeadProfile, string?>> Accessors = new(StringComparer.OrdinalIgnoreCase)
    {
        ["emailDomain"] = p => EmailAddress.Domain(p.Email),
        ["company"] = p => p.Company,
        ["jobTitle"] = p => p.JobTitle,
        ["companySize"] = p => p.CompanySize?.ToString(CultureInfo.InvariantCulture),
        ["website"] = p => p.Website,
        ["country"] = p => p.Country,
        ["industry"] = p => p.Industry,
        ["score"] = p => p.Score?.ToString(CultureInfo.InvariantCulture),
    };

    public static IEnumerable<string> Known => Accessors.Keys.Append(CustomPrefix + "<name>");

    public static bool IsKnown(string field) =>
        Accessors.ContainsKey(field) || (field.StartsWith(CustomPrefix, StringComparison.Ordinal) && field.Length > CustomPrefix.Length);

    public static string? Read(LeadProfile profile, string field)
    {
        if (Accessors.TryGetValue(field, out var read))
        {
            return Nullify(read(profile));
        }

        return field.StartsWith(CustomPrefix, StringComparison.Ordinal)
            ? Nullify(profile.CustomFields.GetValueOrDefault(field[CustomPrefix.Length..]))
            : null;
    }

    private static string? Nullify(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
