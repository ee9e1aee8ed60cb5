using System.Globalization;
using System.Text;
using LeadHandoff.Contracts.V1;

namespace LeadHandoff.Adapters.Delivery;

/// The text a seller reads in the CRM next to the record: why the lead qualified and what it did, so nobody asks
/// the lead again what it already answered.
internal static class HandoffSummary
{
    public static string Text(LeadHandoffRequested handoff)
    {
        var text = new StringBuilder();
        var interactions = handoff.Interactions;
        text.Append(CultureInfo.InvariantCulture, $"Marketing-qualified lead (policy {handoff.Decision.PolicyVersion}, score {handoff.Scores.Score?.ToString(CultureInfo.InvariantCulture) ?? "n/a"}).\n");
        text.Append(CultureInfo.InvariantCulture, $"Accept by {handoff.Sla.AcceptBy:yyyy-MM-dd HH:mm} UTC, first contact by {handoff.Sla.FirstContactBy:yyyy-MM-dd HH:mm} UTC.\n");
        if (handoff.Decision.RulesMatched.Count > 0)
        {
            text.Append("\nWhy it qualified:\n");
            foreach (var rule in handoff.Decision.RulesMatched)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {rule.Description}{(rule.Observed is null ? "" : $" ({rule.Observed})")}\n");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"\nInteractions: {interactions.Total}");
        if (interactions.CountsByType.Count > 0)
        {
            text.Append(" (").AppendJoin(", ", interactions.CountsByType.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}")).Append(')');
        }

        text.Append('\n');
        if (interactions.TopInterests.Count > 0)
        {
            text.Append("Interests: ").AppendJoin(", ", interactions.TopInterests.Select(i => i.Topic)).Append('\n');
        }

        if (interactions.Recent.Count > 0)
        {
            text.Append("\nRecent:\n");
            foreach (var touch in interactions.Recent)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {touch.OccurredAt:yyyy-MM-dd} {touch.Type}: {touch.Name ?? touch.Url ?? touch.Channel ?? "-"}{(touch.Campaign is null ? "" : $" [{touch.Campaign}]")}\n");
            }
        }

        return text.ToString();
    }
}
