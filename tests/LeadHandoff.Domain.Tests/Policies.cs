using LeadHandoff.Domain.Interactions;
using LeadHandoff.Domain.Leads;
using LeadHandoff.Domain.Qualification;
using LeadHandoff.Domain.Sla;

namespace LeadHandoff.Domain.Tests;

internal static class Policies
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    public static readonly SlaTerms Sla = new(TimeSpan.FromHours(4), TimeSpan.FromHours(24), 6, GiveUpAction.Recycle, 100);

    public static QualificationPolicy B2B(int? minScore = 50) => new(
        "v-test",
        new MqlGate(minScore, [
            Rule("has-company", "company", ConditionOperator.Exists),
            Rule("size", "companySize", ConditionOperator.GreaterOrEqual, "10"),
        ]),
        [
            Entry("free-mail", BlacklistMatch.EmailDomain, "gmail.com", "yahoo.com"),
            Entry("role", BlacklistMatch.EmailLocalPart, "info", "sales"),
            Entry("students", BlacklistMatch.JobTitleKeyword, "student", "intern"),
            Entry("embargo", BlacklistMatch.Country, "kp", "ir"),
        ],
        Sla);

    public static readonly ContactData NoContact = new(
        null, null, null, null, null, null, null, null, null, null, null, ContactData.NoValues, ContactData.NoValues);

    public static PolicyRule Rule(string id, string field, ConditionOperator op, params string[] values) =>
        new(id, "Rule " + id, new FieldCondition(field, op, values));

    public static PolicyRule Rule(string id, Condition when) => new(id, "Rule " + id, when);

    public static LeadFacts Facts(LeadProfile profile, InteractionStats? stats = null, DateTimeOffset? asOf = null) =>
        new(profile, stats ?? new InteractionStats(), asOf ?? Now);

    public static BlacklistEntry Entry(string id, BlacklistMatch match, params string[] values) =>
        new(id, id, match, values.ToHashSet(StringComparer.Ordinal), "Because " + id);

    public static LeadProfile Profile(
        string? email = "jane@acme.io",
        string? company = "Acme",
        int? size = 250,
        int? score = 72,
        string? jobTitle = "VP Marketing",
        string? country = "US") => new(
            email, "Jane", "Doe", null, company, jobTitle, size, null, country, null, score, ContactData.NoValues, null);
}
