using LeadHandoff.Domain.Qualification;
using LeadHandoff.Domain.Sla;

namespace LeadHandoff.Domain.Tests;

public sealed class PolicyValidatorTests
{
    [Fact]
    public void Validate_SensiblePolicy_HasNoErrors() => Assert.Empty(PolicyValidator.Validate(Policies.B2B()));

    public static TheoryData<QualificationPolicy, string> BrokenPolicies => new()
    {
        { Policies.B2B() with { Version = " " }, "version" },
        { Policies.B2B() with { Mql = new MqlGate(-1, []) }, "mql.minScore" },
        { Policies.B2B() with { Mql = new MqlGate(1, [Policies.Rule("x", "phone", ConditionOperator.Exists)]) }, "field 'phone'" },
        { Policies.B2B() with { Mql = new MqlGate(1, [Policies.Rule("x", "companySize", ConditionOperator.GreaterThan, "ten")]) }, "needs a number" },
        { Policies.B2B() with { Mql = new MqlGate(1, [Policies.Rule("x", "industry", ConditionOperator.EqualTo)]) }, "needs a value" },
        { Policies.B2B() with { Mql = new MqlGate(1, [Policies.Rule("dup", "industry", ConditionOperator.Exists), Policies.Rule("dup", "country", ConditionOperator.Exists)]) }, "unique" },
        { Policies.B2B() with { Blacklist = [Policies.Entry("empty", BlacklistMatch.Country)] }, "blacklist[empty]" },
        { Policies.B2B() with { Sla = Policies.Sla with { AcceptWithin = TimeSpan.Zero } }, "sla.acceptWithinHours" },
        { Policies.B2B() with { Sla = Policies.Sla with { MaxAttempts = 0 } }, "sla.maxAttempts" },
    };

    [Theory]
    [MemberData(nameof(BrokenPolicies))]
    public void Validate_BrokenPolicy_NamesWhatIsWrong(QualificationPolicy policy, string expected)
    {
        var errors = PolicyValidator.Validate(policy);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Deadlines_FromMqlTime_AddTheAgreedDurations()
    {
        var mqlAt = new DateTimeOffset(2026, 11, 20, 14, 0, 0, TimeSpan.Zero);
        var deadlines = SlaClock.Deadlines(Policies.Sla, mqlAt);

        Assert.Equal(mqlAt.AddHours(4), deadlines.AcceptBy);
        Assert.Equal(mqlAt.AddHours(24), deadlines.FirstContactBy);
    }
}
