using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LeadHandoff.Adapters.Tests.LookAlikes;

/// A receiver of signed handoffs as the generic adapter's documentation asks for: it verifies the Standard Webhooks
/// signature, keeps one record per idempotency key, and answers the record id.
public sealed class GenericTarget
{
    public const string Path = "/hooks/leads";
    public const string Secret = "whsec_Z2VuZXJpYy10YXJnZXQtc2VjcmV0LWZvci10ZXN0cw==";

    private readonly ConcurrentDictionary<string, string> _records = new(StringComparer.Ordinal);
    private int _sequence;

    private GenericTarget(LookAlike server)
    {
        Server = server;
    }

    public LookAlike Server { get; }

    public Uri Url => new(Server.BaseUrl, Path.TrimStart('/'));

    public IReadOnlyDictionary<string, string> Records => _records;

    private int _badSignatures;

    public int BadSignatures => Volatile.Read(ref _badSignatures);

    public static async Task<GenericTarget> StartAsync()
    {
        GenericTarget? target = null;
        var server = await LookAlike.StartAsync(app => app.MapPost(Path, context => target!.ReceiveAsync(context).WriteTo(context)));
        target = new GenericTarget(server);
        return target;
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        context.Request.Body.Position = 0;
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var id = context.Request.Headers["webhook-id"].ToString();
        var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
        var key = Convert.FromBase64String(Secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(buffer.ToArray()).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        if (!string.Equals(expected, context.Request.Headers["webhook-signature"].ToString(), StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _badSignatures);
            return Results.Unauthorized();
        }

        var idempotencyKey = context.Request.Headers["Idempotency-Key"].ToString();
        var created = false;
        var recordId = _records.GetOrAdd(idempotencyKey, _ =>
        {
            created = true;
            return "rec-" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
        });
        return created ? Results.Json(new { id = recordId }, statusCode: 201) : Results.Json(new { id = recordId });
    }
}
