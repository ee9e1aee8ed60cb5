using LeadHandoff.Domain.Sla;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LeadHandoff.Api.Policy;

/// The <c>sla:</c> section of the policy file: sales' side of the agreement.
internal static class SlaPolicySection
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    /// <param name="yaml">The section's YAML, or null when the file has none (the defaults apply).</param>
    public static SlaTerms Parse(string? yaml, List<string> errors)
    {
        var sla = (yaml is null ? null : Yaml.Deserialize<SlaDocument>(yaml)) ?? new SlaDocument();
        if (!Enum.TryParse<GiveUpAction>(sla.GiveUp, ignoreCase: true, out var giveUp))
        {
            errors.Add($"sla.giveUp: '{sla.GiveUp}' is not one of recycle, disqualify.");
        }

        return new SlaTerms(
            TimeSpan.FromHours(sla.AcceptWithinHours),
            TimeSpan.FromHours(sla.FirstContactWithinHours),
            sla.MaxAttempts,
            giveUp,
            sla.MonthlyMqlGoal);
    }

    private sealed class SlaDocument
    {
        public double AcceptWithinHours { get; set; } = 4;

        public double FirstContactWithinHours { get; set; } = 24;

        public int MaxAttempts { get; set; } = 6;

        public string? GiveUp { get; set; } = "recycle";

        public int MonthlyMqlGoal { get; set; } = 100;
    }
}
