using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace LeadHandoff.Adapters.Delivery;

/// One Polly pipeline per CRM client: total timeout → retry (jittered, honouring <c>Retry-After</c>) → rate limiter at
/// the CRM's documented rate → circuit breaker → attempt timeout.
internal static class CrmResilience
{
    /// Set on a request that may be sent twice without effect (an upsert, or a POST carrying an idempotency key).
    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("LeadHandoff.Idempotent");

    public static IHttpClientBuilder AddCrmResilience<TOptions>(this IHttpClientBuilder builder)
        where TOptions : CrmAdapterOptions
    {
        builder.AddResilienceHandler("crm", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value;

            // Waiting for a permit rather than failing: the CRM's rate is a pace to keep, not an error.
            var limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = options.RateLimitPermits,
                Window = options.RateLimitWindow,
                SegmentsPerWindow = 10,
                QueueLimit = 100_000,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
            context.OnPipelineDisposed(limiter.Dispose);

            pipeline
                .AddTimeout(options.TotalTimeout)
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(options.HttpRetries, 1),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(200),
                    MaxDelay = options.MaxHttpRetryDelay,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(
                        options.HttpRetries > 0 && ShouldRetry(args.Outcome, args.Context.GetRequestMessage())),
                })
                .AddRateLimiter(limiter)
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 10,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = options.CircuitBreakDuration,
                })
                .AddTimeout(options.AttemptTimeout);
        });
        return builder;
    }

    /// A <c>429</c>, or a connection never made, was not processed: always safe to send again. Anything else that
    /// may have reached the CRM is retried only when the request is idempotent.
    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request)
    {
        if (outcome.Result is { } response)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return true;
            }

            var transient = response.StatusCode is HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500;
            return transient && IsIdempotent(request);
        }

        return outcome.Exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
            HttpRequestException or TimeoutRejectedException => IsIdempotent(request),
            _ => false,
        };
    }

    private static bool IsIdempotent(HttpRequestMessage? request) =>
        request is not null
        && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Put || request.Method == HttpMethod.Patch
            || request.Method == HttpMethod.Delete || request.Method == HttpMethod.Head
            || (request.Options.TryGetValue(Idempotent, out var idempotent) && idempotent));
}
