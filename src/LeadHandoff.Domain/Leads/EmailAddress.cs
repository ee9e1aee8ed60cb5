namespace LeadHandoff.Domain.Leads;

public static class EmailAddress
{
    /// Case and surrounding whitespace never distinguish two mailboxes in practice, so identity uses the
    /// trimmed lower-case form. Provider-specific rules (plus-addressing, dots) are deliberately not applied:
    /// merging two people on a guess costs more than keeping two records.
    public static string? Normalize(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        return email.Trim().ToLowerInvariant();
    }

    public static bool IsPlausible(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0
            && at == email.LastIndexOf('@')
            && at < email.Length - 3
            && email.IndexOf('.', at) > at + 1
            && !email.EndsWith('.')
            && !email.Any(char.IsWhiteSpace);
    }

    public static string? Domain(string? email)
    {
        if (email is null)
        {
            return null;
        }

        var at = email.LastIndexOf('@');
        return at < 0 ? null : email[(at + 1)..];
    }

    public static string? LocalPart(string? email)
    {
        if (email is null)
        {
            return null;
        }

        var at = email.LastIndexOf('@');
        return at < 0 ? null : email[..at];
    }
}
