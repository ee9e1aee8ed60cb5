using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using LeadHandoff.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadHandoff.Api.Tests;

/// Ops teams read traces and logs; neither may carry a lead's email address or phone number.
public sealed class TelemetryPrivacyTests
{
    [Fact]
    public async Task QualifyingAndBlacklistedLeads_TracedAndLogged_LeaveNoEmailOrPhoneInSpansOrLogs()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "LeadHandoff" or "MassTransit" or "Microsoft.AspNetCore" or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var logs = new CapturingLoggerProvider();
        await using var host = new ApiHost(
            new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Debug",
                ["Logging:LogLevel:Microsoft"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
            },
            services => services.AddSingleton<ILoggerProvider>(logs));
        using var client = host.Webhooks();
        var email = Events.UniqueEmail();
        var blacklisted = Events.UniqueEmail("gmail.com");
        var phone = "+1 555 0100";

        using var qualified = await client.PostAsync(Events.Qualifying(email).Json());
        using var rejected = await client.PostAsync(Events.Qualifying(blacklisted).Json());
        using var invalid = await client.PostAsync(Events.Qualifying("not-an-email@").Json());
        await Eventually.UntilAsync(
            async () => (await client.GetJsonAsync("/v1/handoffs?status=published")).GetProperty("items").GetArrayLength(),
            n => n == 1,
            TimeSpan.FromSeconds(20),
            "the handoff to be published");
        using var lookup = await client.Http.GetAsync($"/v1/leads?email={Uri.EscapeDataString(email)}");

        Assert.Equal(HttpStatusCode.Accepted, qualified.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        Assert.Contains(spans, s => s.OperationName == "ingest batch");
        Assert.Contains(spans, s => s.OperationName == "outbox publish");
        Assert.Contains(spans, s => s.Source.Name == "LeadHandoff" && s.Kind == ActivityKind.Client);
        Assert.Contains(logs.Messages, m => m.Contains("qualified under policy", StringComparison.Ordinal));
        Assert.Contains(logs.Messages, m => m.Contains("disqualified under policy", StringComparison.Ordinal));

        var secrets = new[] { email, blacklisted, phone, Uri.EscapeDataString(email), "not-an-email@" };
        var spanValues = spans.SelectMany(s => s.TagObjects.Select(t => $"{s.OperationName} {t.Key}={t.Value}")
            .Concat(s.Events.Select(e => e.Name))
            .Append(s.DisplayName)
            .Append(s.StatusDescription ?? string.Empty)).ToList();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(spanValues, v => v.Contains(secret, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(logs.Messages, m => m.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(_messages);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
                messages.Enqueue($"{formatter(state, exception)} {structured} {exception}");
            }
        }
    }
}
