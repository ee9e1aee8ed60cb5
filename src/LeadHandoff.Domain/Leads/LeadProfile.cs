namespace LeadHandoff.Domain.Leads;

/// The profile as LeadHandoff knows it, merged from every event the lead produced.
/// <param name="AsOf">When the newest event that updated the profile occurred; older events only fill gaps.</param>
public sealed record LeadProfile(
    string? Email,
    string? FirstName,
    string? LastName,
    string? Phone,
    string? Company,
    string? JobTitle,
    int? CompanySize,
    string? Website,
    string? Country,
    string? Industry,
    int? Score,
    IReadOnlyDictionary<string, string> CustomFields,
    DateTimeOffset? AsOf)
{
    public static readonly LeadProfile Empty = new(
        null, null, null, null, null, null, null, null, null, null, null, ContactData.NoValues, null);

    /// Newer events overwrite what they send; older (out-of-order) events only fill fields still unknown;
    /// a field an event does not send is never erased.
    public LeadProfile Merge(ContactData incoming, DateTimeOffset occurredAt)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        var newer = AsOf is null || occurredAt >= AsOf.Value;

        return new LeadProfile(
            Pick(Email, EmailAddress.Normalize(incoming.Email), newer),
            Pick(FirstName, incoming.FirstName, newer),
            Pick(LastName, incoming.LastName, newer),
            Pick(Phone, incoming.Phone, newer),
            Pick(Company, incoming.Company, newer),
            Pick(JobTitle, incoming.JobTitle, newer),
            Pick(CompanySize, incoming.CompanySize, newer),
            Pick(Website, incoming.Website, newer),
            Pick(Country, incoming.Country, newer),
            Pick(Industry, incoming.Industry, newer),
            Pick(Score, incoming.Score, newer),
            MergeFields(CustomFields, incoming.CustomFields, newer),
            newer ? occurredAt : AsOf);
    }

    private static T? Pick<T>(T? known, T? incoming, bool newer)
        where T : class
        => incoming is null ? known : newer || known is null ? incoming : known;

    private static T? Pick<T>(T? known, T? incoming, bool newer)
        where T : struct
        => incoming is null ? known : newer || known is null ? incoming : known;

    private static IReadOnlyDictionary<string, string> MergeFields(
        IReadOnlyDictionary<string, string> known,
        IReadOnlyDictionary<string, string> incoming,
        bool newer)
    {
        if (incoming.Count == 0)
        {
            return known;
        }

        var merged = new Dictionary<string, string>(known, StringComparer.Ordinal);
        foreach (var (key, value) in incoming)
        {
            if (newer || !merged.ContainsKey(key))
            {
                merged[key] = value;
            }
        }

        return merged;
    }
}
