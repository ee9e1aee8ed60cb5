namespace LeadHandoff.Domain.Leads;

/// Profile fields an event carries; null means "not sent", never "erase".
public sealed record ContactData(
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
    IReadOnlyDictionary<string, string> ExternalIds,
    IReadOnlyDictionary<string, string> CustomFields)
{
    public static readonly IReadOnlyDictionary<string, string> NoValues = new Dictionary<string, string>();
}
