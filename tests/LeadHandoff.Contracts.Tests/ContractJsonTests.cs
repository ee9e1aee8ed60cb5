using System.Text.Json;
using System.Text.Json.Nodes;
using LeadHandoff.Contracts.V1;

namespace LeadHandoff.Contracts.Tests;

/// Adapters are written against these shapes: a renamed or removed field must fail here before it reaches them.
/// Serialization uses the same settings as MassTransit's System.Text.Json serializer (camelCase, web defaults).
public sealed class ContractJsonTests
{
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static readonly DateTimeOffset At = new(2026, 11, 20, 14, 3, 0, TimeSpan.Zero);

    public static TheoryData<string, object> Messages => new()
    {
        { "LeadHandoffRequested", SampleHandoff() },
        { "HandoffDelivered", new HandoffDelivered(Guid.Parse("01a2057c-f9ba-74a9-beb9-3a973b0b0094"), "salesforce", "00Q5g00000ABCDE", At) },
        { "HandoffDeliveryFailed", new HandoffDeliveryFailed(Guid.Parse("01a2057c-f9ba-74a9-beb9-3a973b0b0094"), "hubspot", "429 Too Many Requests", true, At) },
        { "SalesFeedbackReceived", new SalesFeedbackReceived(Guid.Parse("01a2057c-0000-7000-8000-000000000001"), Guid.Parse("01a2057c-f9ba-74a9-beb9-3a973b0b0094"), "accepted", At, null, "seller-42") },
        { "SlaBreached", new SlaBreached(Guid.Parse("01a2057c-f9ba-74a9-beb9-3a973b0b0094"), "accept", At, TimeSpan.FromMinutes(90), "sales") },
        { "SlaAtRisk", new SlaAtRisk(Guid.Parse("01a2057c-f9ba-74a9-beb9-3a973b0b0094"), "accept", "escalation", At, 0.9m, "sales", At.AddHours(-1)) },
        { "LeadRecycled", new LeadRecycled(Guid.Parse("01a2057c-f9ba-738c-92b1-3dbd5baa2547"), Guid.Parse("01a2057c-f9ba-74a9-beb9-3a973b0b0094"), "not ready to buy", At) },
        { "LeadDisqualified", new LeadDisqualified(Guid.Parse("01a2057c-f9ba-738c-92b1-3dbd5baa2547"), "default-2026.11", ["free-mail"], At) },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Serialize_Message_MatchesItsGoldenFile(string name, object message)
    {
        var actual = JsonNode.Parse(JsonSerializer.Serialize(message, message.GetType(), Wire))!;
        var golden = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name + ".json")))!;

        Assert.True(JsonNode.DeepEquals(golden, actual), $"{name} no longer matches Golden/{name}.json:{Environment.NewLine}{actual.ToJsonString(Wire)}");
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Deserialize_GoldenFile_RoundTripsWithoutLoss(string name, object message)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name + ".json"));

        var parsed = JsonSerializer.Deserialize(text, message.GetType(), Wire)!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(text), JsonNode.Parse(JsonSerializer.Serialize(parsed, message.GetType(), Wire))));
    }

    [Fact]
    public void Contracts_LiveInTheVersionedNamespace()
    {
        var types = typeof(LeadHandoffRequested).Assembly.GetExportedTypes();
        Assert.All(types, t => Assert.Equal("LeadHandoff.Contracts.V1", t.Namespace));
    }

    private static LeadHandoffRequested SampleHandoff()
    {
        var touch = new Touch("formSubmitted", At, "demo", "web", "Pricing page", "https://vendor.example/pricing", "Q4-webinar");
        return new LeadHandoffRequested(
            Guid.Parse("01a2057c-f9ba-74a9-beb9-3a973b0b0094"),
            Guid.Parse("01a2057c-f9ba-738c-92b1-3dbd5baa2547"),
            At,
            new LeadProfile(
                "jane.doe@acme.io", "Jane", "Doe", "+1 555 0100", "Acme", "VP Marketing", 250, "https://acme.io", "US", "Software",
                new Dictionary<string, string> { ["hubspot"] = "65059681032" },
                new Dictionary<string, string> { ["budget"] = "50k" }),
            new LeadScores(72) { FitScore = 90, EngagementScore = 20, Grade = "A" },
            new QualificationDecision("default-2026.11", "qualified", [new RuleResult("min-score", "Score is at least 50", true, "72")]),
            new InteractionSummary(
                1, new Dictionary<string, int> { ["formSubmitted"] = 1 }, touch, touch, [touch], [new Interest("pricing", 1) { Weight = 3, LastAt = At }])
            {
                Attribution = new Attribution("demo", "Q4-webinar", "demo", "Q4-webinar"),
            },
            new SlaTerms(At.AddHours(4), At.AddHours(24), 6, "recycle"),
            new RoutingHints("US", 250, "demo", "Q4-webinar"))
        {
            Summary = "Jane Doe, VP Marketing at Acme (250 employees, Software, US). 1 interaction since 20 Nov 2026 (first via Q4-webinar); last active today (submitted Pricing page). Most interested in pricing. Signals: 1 form submitted. Fit grade A.",
        };
    }
}
