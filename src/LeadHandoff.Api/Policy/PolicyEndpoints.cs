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
        return app;
    }

    private static Ok<PolicyView> Get(PolicyProvider policies) => TypedResults.Ok(PolicyView.Of(policies.Current));
}
