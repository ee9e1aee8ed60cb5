using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LeadHandoff.Api.Webhooks.Standard;

/// The Standard Webhooks scheme (https://www.standardwebhooks.com): <c>v1,</c> + base64 HMAC-SHA256 of
/// <c>{webhook-id}.{webhook-timestamp}.{raw body}</c>, keyed by the base64 part of a <c>whsec_</c> secret.
internal static class StandardWebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public static byte[] DecodeSecret(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        byte[] key;
        try
        {
            key = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new FormatException("must be whsec_ followed by base64.");
        }

        return key.Length >= 16 ? key : throw new FormatException("must hold at least 16 bytes of key material.");
    }

    public static string Sign(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Compute(key, id, timestamp.ToString(CultureInfo.InvariantCulture), body, mac);
        return "v1," + Convert.ToBase64String(mac);
    }

    /// Any of the space-separated <c>v1,</c> signatures may match any of the keys (secret rotation).
    public static bool Matches(IReadOnlyList<byte[]> keys, string id, string timestamp, ReadOnlySpan<byte> body, string signatureHeader)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var matched = false;
        foreach (var key in keys)
        {
            Compute(key, id, timestamp, body, expected);
            foreach (var range in signatureHeader.AsSpan().Split(' '))
            {
                var candidate = signatureHeader.AsSpan()[range];
                if (!candidate.StartsWith("v1,", StringComparison.Ordinal)
                    || !Convert.TryFromBase64Chars(candidate[3..], presented, out var written)
                    || written != presented.Length)
                {
                    continue;
                }

                // Constant time, and no early exit: the time taken says nothing about which part matched.
                matched |= CryptographicOperations.FixedTimeEquals(expected, presented);
            }
        }

        return matched;
    }

    private static void Compute(byte[] key, string id, string timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        var prefixLength = Encoding.UTF8.GetByteCount(id) + timestamp.Length + 2;
        var rented = ArrayPool<byte>.Shared.Rent(prefixLength + body.Length);
        try
        {
            var written = Encoding.UTF8.GetBytes(id, rented);
            rented[written++] = (byte)'.';
            written += Encoding.ASCII.GetBytes(timestamp, rented.AsSpan(written));
            rented[written++] = (byte)'.';
            body.CopyTo(rented.AsSpan(written));
            HMACSHA256.HashData(key, rented.AsSpan(0, written + body.Length), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
