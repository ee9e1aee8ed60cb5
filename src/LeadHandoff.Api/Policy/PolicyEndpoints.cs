using LeadHandoff.Domain.Qualification;

namespace LeadHandoff.Api.Policy;

internal sealed record PolicyView(string Version, MqlGate Mql, IReadOnlyList<BlacklistEntry> Blacklist, SlaView Sla);

internal sealed record SlaView(double AcceptWithinHours, double FirstContactWithinHours, int MaxAttempts, string GiveUp, int MonthlyMqlGoal);

internal static class PolicyEndpoints
{
    public static IEndpointRouteBuilder MapPolicy(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/policy").WithTags("Policy");
        group.MapGet("/", Get).WithName("GetPolicy").WithSummary("The qualification policy in force (version, rules)");
        return app;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<PolicyView> Get(PolicyProvider policies)
    {
        var policy = policies.Current;
        return TypedResults.Ok(new PolicyView(
            policy.Version,
            policy.Mql,
            policy.Blacklist,
            new SlaView(
                policy.Sla.AcceptWithin.TotalHours,
                policy.Sla.FirstContactWithin.TotalHours,
                policy.Sla.MaxAttempts,
                policy.Sla.GiveUp.ToString().ToLowerInvariant(),
                policy.Sla.MonthlyMqlGoal)));
    }
}
