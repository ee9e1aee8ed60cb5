using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace LeadHandoff.Bench;

/// Standard Webhooks: <c>v1,</c> + base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>, keyed by the base64 part
/// of the <c>whsec_</c> secret. Computed per request, as a real platform does.
internal sealed class WebhookSigner
{
    private const string Prefix = "whsec_";

    private readonly byte[] _key;

    public WebhookSigner(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var encoded = secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret;
        _key = Convert.FromBase64String(encoded);
    }

    public string Sign(string id, string timestamp, ReadOnlySpan<byte> body)
    {
        var length = Encoding.UTF8.GetByteCount(id) + timestamp.Length + 2 + body.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(id, rented);
            rented[written++] = (byte)'.';
            written += Encoding.ASCII.GetBytes(timestamp, rented.AsSpan(written));
            rented[written++] = (byte)'.';
            body.CopyTo(rented.AsSpan(written));
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(_key, rented.AsSpan(0, length), mac);
            return "v1," + Convert.ToBase64String(mac);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
