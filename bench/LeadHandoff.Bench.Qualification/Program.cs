using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LeadHandoff.Api.Handoffs;
using LeadHandoff.Api.Json;
using LeadHandoff.Api.Policy;
using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Interactions;
using LeadHandoff.Domain.Leads;
using LeadHandoff.Domain.Qualification;

// The per-event cost of qualification plus enrichment as a lead's history grows: for a lead that already has H
// interactions, what ingestion does for one more event — read the lead's stored interaction state, record the
// event, qualify it under the shipped default policy, build the handoff's enrichment (ranked interests,
// attribution, seller summary), and write the state back. Usage: [--histories 0,100,1000,10000] [--events 2000]
var histories = new[] { 0, 100, 1_000, 10_000 };
var events = 2_000;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--histories":
            histories = args[i + 1].Split(',').Select(h => int.Parse(h, CultureInfo.InvariantCulture)).ToArray();
            break;
        case "--events":
            events = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine("usage: [--histories 0,100,1000,10000] [--events 2000]");
            return 2;
    }
}

var policyPath = Path.Combine(PolicyFile.ShippedDirectory, "default-policy.yaml");
var policy = PolicyFile.Parse(File.ReadAllText(policyPath), policyPath, PolicyFile.ShippedDirectory).Policy
    ?? throw new InvalidOperationException("The shipped policy is invalid.");
var now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
var profile = new LeadProfile(
    "jane@acme.io", "Jane", "Doe", null, "Acme", "VP Marketing", 250, "https://acme.io", "US", "Software", 72, ContactData.NoValues, now);
var types = new[] { EventType.PageViewed, EventType.EmailOpened, EventType.EmailClicked, EventType.ContentDownloaded, EventType.FormSubmitted, EventType.WebinarAttended };
var topics = new[] { "pricing", "integrations", "security", "api", "reporting", "onboarding", "compliance", "roadmap" };

LeadEvent Event(int n, DateTimeOffset at) => new(
    $"e{n}",
    types[n % types.Length],
    at,
    new ContactData(null, null, null, null, null, null, null, null, null, null, null, ContactData.NoValues, ContactData.NoValues),
    new InteractionData("web", $"Page {n % 400}", $"https://vendor.example/page/{n % 400}", $"campaign-{n % 12}", [topics[n % topics.Length], topics[(n * 7) % topics.Length]]));

Console.WriteLine("| history (interactions) | stored state (bytes) | mean per event (µs) | p50 (µs) | p99 (µs) | of which qualify + enrich, p50 (µs) | allocated per event (KB) |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var history in histories)
{
    // Spread the history over the two years before now, as a long-lived lead's would be.
    var stats = new InteractionStats();
    for (var n = 0; n < history; n++)
    {
        stats.Record(Event(n, now.AddMinutes(-(history - n) * (2 * 365 * 24 * 60.0 / Math.Max(1, history)))), "bench");
    }

    var stored = JsonSerializer.Serialize(stats, StorageJson.Default.InteractionStats);
    var timings = new double[events];
    var domainTimings = new double[events];
    var warmup = Math.Min(500, events);
    long allocated = 0;
    for (var n = -warmup; n < events; n++)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        var at = now.AddSeconds(n + warmup);
        var state = JsonSerializer.Deserialize(stored, StorageJson.Default.InteractionStats)!;
        state.Record(Event(history + n + warmup, at), "bench");
        var domainStarted = Stopwatch.GetTimestamp();
        var step = QualificationStep.Next(policy, LeadStage.Lead, new LeadFacts(profile, state, at) { LeadId = Guid.Empty });
        var enrichment = (state.TopInterests(HandoffMessages.TopInterestCount, at), Attribution.Of(state), SellerSummary.Write(profile, state, at, step.Decision?.Scores.Grade));
        var domainElapsed = Stopwatch.GetElapsedTime(domainStarted).TotalMicroseconds;
        var written = JsonSerializer.Serialize(state, StorageJson.Default.InteractionStats);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        if (n >= 0)
        {
            timings[n] = elapsed;
            domainTimings[n] = domainElapsed;
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        GC.KeepAlive(enrichment);
        GC.KeepAlive(written);
    }

    Array.Sort(timings);
    Array.Sort(domainTimings);
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {history:N0} | {stored.Length:N0} | {timings.Average():F1} | {timings[events / 2]:F1} | {timings[(int)(events * 0.99)]:F1} | {domainTimings[events / 2]:F1} | {allocated / (double)events / 1024:F1} |"));
}

return 0;
