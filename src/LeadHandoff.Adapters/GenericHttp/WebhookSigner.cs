using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LeadHandoff.Adapters.GenericHttp;

/// Standard Webhooks signing (https://www.standardwebhooks.com), the mirror image of what LeadHandoff verifies on
/// ingestion: <c>v1,</c> + base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c> keyed by the secret's base64 part.
internal static class WebhookSigner
{
    public const string SecretPrefix = "whsec_";

    public static bool TryDecodeSecret(string? secret, out byte[] key)
    {
        key = [];
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        return key.Length >= 16;
    }

    public static string Sign(byte[] key, string id, long timestamp, byte[] body)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}."));
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return "v1," + Convert.ToBase64String(hmac.GetHashAndReset());
    }
}
