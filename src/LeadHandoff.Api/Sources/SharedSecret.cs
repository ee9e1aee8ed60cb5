using System.Security.Cryptography;
using System.Text;

namespace LeadHandoff.Api.Sources;

/// Secrets that platforms without a signature scheme present as they are (a header or a URL token).
internal static class SharedSecret
{
    public const int MinLength = 16;

    /// Platform-issued and operator-chosen secrets alike are used as their UTF-8 bytes.
    public static byte[] Decode(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Length >= MinLength
            ? Encoding.UTF8.GetBytes(secret)
            : throw new FormatException($"must be at least {MinLength} characters.");
    }

    /// Constant time over every key, no early exit: the time taken says nothing about which key (or byte) matched.
    public static bool Matches(IReadOnlyList<byte[]> keys, string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(presented);
        var matched = false;
        foreach (var key in keys)
        {
            matched |= CryptographicOperations.FixedTimeEquals(key, bytes);
        }

        return matched;
    }

    /// The secret from the kind's header, or (when allowed) the <c>token</c> query parameter.
    public static SignatureCheck Check(WebhookRequest request, IReadOnlyList<byte[]> keys, string header, bool allowQuery)
    {
        string? presented = request.Headers[header];
        var where = $"the {header} header";
        if (string.IsNullOrEmpty(presented) && allowQuery)
        {
            presented = request.QueryValue("token");
            where = $"the {header} header or the token query parameter";
        }

        if (string.IsNullOrEmpty(presented))
        {
            return SignatureCheck.Invalid($"The shared secret is required in {where}.");
        }

        return Matches(keys, presented)
            ? SignatureCheck.Valid
            : SignatureCheck.Invalid($"The secret in {where} matches no configured secret.");
    }
}
