using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LeadHandoff.Api.Webhooks.HubSpot;

/// HubSpot's request signatures (developers.hubspot.com, "Validating requests"), keyed by the app's client secret.
/// v3: base64 HMAC-SHA256 of method + URI + body + timestamp, the URI with a documented set of escapes decoded.
/// v2: hex SHA-256 of secret + method + URI + body. v1: hex SHA-256 of secret + body. v1 and v2 carry no timestamp.
internal static class HubSpotSignature
{
    public const string V3Header = "X-HubSpot-Signature-v3";
    public const string TimestampHeader = "X-HubSpot-Request-Timestamp";
    public const string LegacyHeader = "X-HubSpot-Signature";
    public const string VersionHeader = "X-HubSpot-Signature-Version";

    // The only escapes HubSpot decodes before signing; every other one (e.g. %20) stays as sent.
    private static readonly Dictionary<string, char> DecodedEscapes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["%3A"] = ':', ["%2F"] = '/', ["%3F"] = '?', ["%40"] = '@', ["%21"] = '!', ["%24"] = '$',
        ["%27"] = '\'', ["%28"] = '(', ["%29"] = ')', ["%2A"] = '*', ["%2C"] = ',', ["%3B"] = ';',
    };

    public static string DecodeUri(string uri)
    {
        if (!uri.Contains('%', StringComparison.Ordinal))
        {
            return uri;
        }

        var builder = new StringBuilder(uri.Length);
        for (var i = 0; i < uri.Length; i++)
        {
            if (uri[i] == '%' && i + 2 < uri.Length && DecodedEscapes.TryGetValue(uri.Substring(i, 3), out var decoded))
            {
                builder.Append(decoded);
                i += 2;
            }
            else
            {
                builder.Append(uri[i]);
            }
        }

        return builder.ToString();
    }

    public static string SignV3(byte[] key, string method, string uri, ReadOnlySpan<byte> body, string timestamp)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Hash(key, hmac: true, [method, DecodeUri(uri)], body, timestamp, mac);
        return Convert.ToBase64String(mac);
    }

    public static string SignV2(byte[] key, string method, string uri, ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(key, hmac: false, [method, uri], body, string.Empty, hash);
        return Convert.ToHexStringLower(hash);
    }

    public static string SignV1(byte[] key, ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(key, hmac: false, [], body, string.Empty, hash);
        return Convert.ToHexStringLower(hash);
    }

    public static bool MatchesV3(IReadOnlyList<byte[]> keys, string method, string uri, ReadOnlySpan<byte> body, string timestamp, string signature)
    {
        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!Convert.TryFromBase64String(signature.Trim(), presented, out var written) || written != presented.Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var decodedUri = DecodeUri(uri);
        var matched = false;
        foreach (var key in keys)
        {
            Hash(key, hmac: true, [method, decodedUri], body, timestamp, expected);
            matched |= CryptographicOperations.FixedTimeEquals(expected, presented);
        }

        return matched;
    }

    public static bool MatchesLegacy(IReadOnlyList<byte[]> keys, string version, string method, string uri, ReadOnlySpan<byte> body, string signature)
    {
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        if (signature.Length != presented.Length * 2 || Convert.FromHexString(signature, presented, out _, out var written) != OperationStatus.Done
            || written != presented.Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        var matched = false;
        foreach (var key in keys)
        {
            Hash(key, hmac: false, version == "v2" ? [method, uri] : [], body, string.Empty, expected);
            matched |= CryptographicOperations.FixedTimeEquals(expected, presented);
        }

        return matched;
    }

    /// v3 is keyed by the secret; v1/v2 put the secret in front of what they hash.
    private static void Hash(byte[] key, bool hmac, string[] parts, ReadOnlySpan<byte> body, string suffix, Span<byte> destination)
    {
        var prefix = hmac ? 0 : key.Length;
        var length = prefix + body.Length + Encoding.UTF8.GetByteCount(suffix);
        foreach (var part in parts)
        {
            length += Encoding.UTF8.GetByteCount(part);
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = 0;
            if (!hmac)
            {
                key.CopyTo(rented, 0);
                written = key.Length;
            }

            foreach (var part in parts)
            {
                written += Encoding.UTF8.GetBytes(part, rented.AsSpan(written));
            }

            body.CopyTo(rented.AsSpan(written));
            written += body.Length;
            written += Encoding.UTF8.GetBytes(suffix, rented.AsSpan(written));
            var data = rented.AsSpan(0, written);
            if (hmac)
            {
                HMACSHA256.HashData(key, data, destination);
            }
            else
            {
                SHA256.HashData(data, destination);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static bool TryParseTimestamp(string? value, out DateTimeOffset at)
    {
        at = default;
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms >= 253_402_300_799_000)
        {
            return false;
        }

        at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }
}
