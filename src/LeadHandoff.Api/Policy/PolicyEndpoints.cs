using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadHandoff.Api.Policy;

internal static class PolicyEndpoints
{
    public static IEndpointRouteBuilder MapPolicy(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/policy").WithTags("Policy");
        group.MapGet("/", Get).WithName("GetPolicy").WithSummary("The qualification policy in force (version, rules)");
        group.MapPost("/simulate", PolicySimulation.SimulateAsync)
            .WithName("SimulatePolicy")
            .WithSummary("Evaluate a lead (stored or hypothetical) and interactions against the policy in force or a candidate; no side effects");
        group.MapPost("/reevaluate", PolicyReevaluation.ReevaluateAsync)
            .WithName("ReevaluateLeads")
            .WithSummary("Re-evaluate stored leads of a creation-time range under the policy in force, page by page; a dry run (the default) reports what would change");
        return app;
    }

    private static Ok<PolicyView> Get(PolicyProvider policies) => TypedResults.Ok(PolicyView.Of(policies.Current));
}
