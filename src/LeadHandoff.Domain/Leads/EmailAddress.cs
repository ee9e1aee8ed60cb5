namespace LeadHandoff.Domain.Leads;

public static class EmailAddress
{
    /// The identity form of an address: trimmed and lower case (case never distinguishes two mailboxes in
    /// practice), plus the provider rules that are certain — Gmail ignores dots and a +tag, googlemail.com is
    /// gmail.com, and the large providers below deliver local+tag to local. Elsewhere a + or a dot may be part
    /// of a real, distinct mailbox name, so nothing more is stripped: merging two people on a guess costs more
    /// than keeping two records.
    public static string? Normalize(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var normalized = email.Trim().ToLowerInvariant();
        var at = normalized.LastIndexOf('@');
        if (at <= 0 || at == normalized.Length - 1)
        {
            return normalized;
        }

        var local = normalized[..at];
        var domain = normalized[(at + 1)..];
        if (domain is "gmail.com" or "googlemail.com")
        {
            var plain = StripTag(local).Replace(".", string.Empty, StringComparison.Ordinal);
            return plain.Length == 0 ? normalized : plain + "@gmail.com";
        }

        if (PlusAddressing.Contains(domain))
        {
            var plain = StripTag(local);
            return plain.Length == 0 ? normalized : plain + "@" + domain;
        }

        return normalized;
    }

    /// Providers documented to deliver <c>local+anything@</c> to <c>local@</c>.
    private static readonly HashSet<string> PlusAddressing = new(StringComparer.Ordinal)
    {
        "outlook.com", "hotmail.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com",
        "fastmail.com", "fastmail.fm", "proton.me", "protonmail.com", "pm.me", "hey.com",
    };

    private static string StripTag(string local)
    {
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? local : local[..plus];
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
