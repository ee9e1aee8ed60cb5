using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace LeadHandoff.Bench;

/// What one phase (warm-up or measured) observed from the outside.
internal sealed class PhaseResult(Workload workload)
{
    private const int SampleLimit = 3;

    private int _ok;
    private int _clientErrors;
    private int _serverErrors;
    private int _failures;
    private long _accepted;
    private long _duplicates;
    private long _rateLimited;
    private long _maxDispatchLagTicks;
    private readonly long[] _acceptedPerSecond = new long[3600];

    public Workload Workload { get; } = workload;

    /// Response time measured from when the request was due: in an open loop this includes any wait for a free
    /// connection or a late dispatch, so a stalled service cannot hide behind fewer requests (coordinated omission).
    public Latencies FromSchedule { get; } = new(workload.Requests.Count);

    /// Response time measured from when the request was actually handed to the HTTP client.
    public Latencies FromSend { get; } = new(workload.Requests.Count);

    /// Leads with at least one accepted event; the handoffs expected on the broker are the qualifying ones among them.
    public bool[] LeadAccepted { get; } = new bool[workload.Leads];

    public ConcurrentQueue<string> Samples { get; } = new();

    public long StartedTicks { get; set; }

    public long EndedTicks { get; set; }

    public int Ok => _ok;

    public int ClientErrors => _clientErrors;

    public int ServerErrors => _serverErrors;

    public int Failures => _failures;

    public long Accepted => _accepted;

    public long Duplicates => _duplicates;

    public long RateLimited => _rateLimited;

    /// Events never sent because the open loop gave up on a service that fell too far behind.
    public int Abandoned { get; private set; }

    public int SentEvents => Workload.Events - Abandoned;

    public void Abandon(int events) => Abandoned = events;

    public double MaxDispatchLagMs => _maxDispatchLagTicks / Latencies.StopwatchTicksPerMillisecond;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(StartedTicks, EndedTicks);

    public int ExpectedHandoffs()
    {
        var expected = 0;
        for (var lead = 0; lead < LeadAccepted.Length; lead++)
        {
            expected += LeadAccepted[lead] && Workload.Qualifies(lead) ? 1 : 0;
        }

        return expected;
    }

    /// Accepted events per second of the phase, by when their response arrived; shows a service slowing down as
    /// its tables grow, which one average hides.
    public IReadOnlyList<long> AcceptedPerSecond
    {
        get
        {
            var seconds = Math.Min(_acceptedPerSecond.Length, (int)Math.Ceiling(Elapsed.TotalSeconds));
            return _acceptedPerSecond[..Math.Max(1, seconds)];
        }
    }

    public void RecordAcceptedAt(long ticks, int accepted)
    {
        var second = (int)((ticks - StartedTicks) / System.Diagnostics.Stopwatch.Frequency);
        if (second >= 0 && second < _acceptedPerSecond.Length)
        {
            Interlocked.Add(ref _acceptedPerSecond[second], accepted);
        }
    }

    public void RecordDispatchLag(long ticks)
    {
        var seen = Volatile.Read(ref _maxDispatchLagTicks);
        while (ticks > seen)
        {
            var previous = Interlocked.CompareExchange(ref _maxDispatchLagTicks, ticks, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    public void RecordResponse(int status, int accepted, int duplicates, PreparedRequest request, string? body)
    {
        if (status is >= 200 and < 300)
        {
            Interlocked.Increment(ref _ok);
            Interlocked.Add(ref _accepted, accepted);
            Interlocked.Add(ref _duplicates, duplicates);
            foreach (var lead in request.Leads)
            {
                LeadAccepted[lead] = true;
            }

            return;
        }

        Interlocked.Increment(ref status >= 500 ? ref _serverErrors : ref _clientErrors);
        if (status == 429)
        {
            Interlocked.Increment(ref _rateLimited);
        }

        AddSample($"HTTP {status}: {body}");
    }

    public void RecordFailure(Exception exception)
    {
        Interlocked.Increment(ref _failures);
        AddSample($"{exception.GetType().Name}: {exception.Message}");
    }

    private void AddSample(string text)
    {
        if (Samples.Count < SampleLimit)
        {
            Samples.Enqueue(text.Length > 300 ? text[..300] : text);
        }
    }
}

/// Sends prepared requests, closed loop (C workers, each sends its next request when the previous answered) or
/// open loop (requests on a fixed schedule, whatever the service's pace, at most a bounded number in flight).
internal sealed class LoadRunner(HttpClient http, Uri endpoint, WebhookSigner signer, TimeProvider time)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public async Task<PhaseResult> RunClosedAsync(Workload workload, int concurrency, CancellationToken cancellationToken)
    {
        var result = new PhaseResult(workload);
        var next = -1;
        result.StartedTicks = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(
            async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < workload.Requests.Count)
                {
                    await SendAsync(workload.Requests[index], Stopwatch.GetTimestamp(), result, cancellationToken);
                }
            },
            cancellationToken));
        await Task.WhenAll(workers);
        result.EndedTicks = Stopwatch.GetTimestamp();
        return result;
    }

    /// Gives up (and says so) once requests leave later than <paramref name="giveUpLag"/> after they were due: the
    /// service is not keeping up, and waiting longer would only stretch the run without telling anything new.
    public async Task<PhaseResult> RunOpenAsync(
        Workload workload, double eventsPerSecond, int batch, int maxInFlight, TimeSpan giveUpLag, CancellationToken cancellationToken)
    {
        var result = new PhaseResult(workload);
        var requests = workload.Requests;
        var interval = Stopwatch.Frequency * batch / eventsPerSecond;
        var giveUpTicks = (long)(giveUpLag.TotalSeconds * Stopwatch.Frequency);
        using var inFlight = new SemaphoreSlim(maxInFlight, maxInFlight);
        var sends = new List<Task>(requests.Count);
        var start = Stopwatch.GetTimestamp();
        result.StartedTicks = start;
        var k = 0;
        while (k < requests.Count)
        {
            var now = Stopwatch.GetTimestamp();
            while (k < requests.Count && start + (long)(k * interval) <= now)
            {
                await inFlight.WaitAsync(cancellationToken);
                var due = start + (long)(k * interval);
                if (Stopwatch.GetTimestamp() - due > giveUpTicks)
                {
                    inFlight.Release();
                    result.Abandon(requests.Skip(k).Sum(r => r.Leads.Count));
                    k = requests.Count;
                    break;
                }

                sends.Add(SendReleasingAsync(requests[k], due, result, inFlight, cancellationToken));
                k++;
            }

            if (k < requests.Count)
            {
                // Timer resolution is about a millisecond, so requests due within the same tick leave together;
                // latency is still counted from each request's own due time.
                await Task.Delay(TimeSpan.FromMilliseconds(1), time, cancellationToken);
            }
        }

        await Task.WhenAll(sends);
        result.EndedTicks = Stopwatch.GetTimestamp();
        return result;
    }

    private async Task SendReleasingAsync(PreparedRequest request, long due, PhaseResult result, SemaphoreSlim inFlight, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            await SendAsync(request, due, result, cancellationToken);
        }
        finally
        {
            inFlight.Release();
        }
    }

    private async Task SendAsync(PreparedRequest request, long due, PhaseResult result, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        result.RecordDispatchLag(started - due);
        var nowUs = UnixMicroseconds(time.GetUtcNow());
        request.StampSentAt(nowUs);
        var timestamp = (nowUs / 1_000_000).ToString(CultureInfo.InvariantCulture);
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(request.Body) };
        message.Content.Headers.ContentType = Json;
        message.Headers.TryAddWithoutValidation("webhook-id", request.WebhookId);
        message.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp);
        message.Headers.TryAddWithoutValidation("webhook-signature", signer.Sign(request.WebhookId, timestamp, request.Body));
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var ended = Stopwatch.GetTimestamp();
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                result.FromSchedule.Record(ended - due);
                result.FromSend.Record(ended - started);
                var (accepted, duplicates) = ReadCounts(body);
                result.RecordAcceptedAt(ended, accepted);
                result.RecordResponse(status, accepted, duplicates, request, null);
            }
            else
            {
                result.RecordResponse(status, 0, 0, request, System.Text.Encoding.UTF8.GetString(body));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            result.RecordFailure(ex);
        }
    }

    public static long UnixMicroseconds(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <c>{"accepted":n,"duplicates":d,...}</c>: only the two counts are read.
    private static (int Accepted, int Duplicates) ReadCounts(byte[] body)
    {
        int accepted = 0, duplicates = 0;
        var reader = new Utf8JsonReader(body);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                if (reader.ValueTextEquals("accepted"u8) && reader.Read())
                {
                    accepted = reader.GetInt32();
                }
                else if (reader.ValueTextEquals("duplicates"u8) && reader.Read())
                {
                    duplicates = reader.GetInt32();
                }
            }
        }
        catch (JsonException)
        {
            // A 2xx whose body is not the documented one still counts as answered; its counts stay zero.
        }

        return (accepted, duplicates);
    }
}
