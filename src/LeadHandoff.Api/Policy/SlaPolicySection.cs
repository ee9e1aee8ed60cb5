using LeadHandoff.Domain.Sla;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LeadHandoff.Api.Policy;

/// The <c>sla:</c> section of the policy file, read as its own document and interpreted by <see cref="SlaPolicyParser"/>.
internal static class SlaPolicySection
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    /// <param name="yaml">The section's YAML, or null when the file has none (the defaults apply).</param>
    public static SlaTerms Parse(string? yaml, List<string> errors)
    {
        SlaPolicyDocument? document;
        try
        {
            document = yaml is null ? null : Yaml.Deserialize<SlaPolicyDocument>(yaml);
        }
        catch (YamlException ex)
        {
            errors.Add($"sla: {ex.InnerException?.Message ?? ex.Message}");
            document = null;
        }

        return SlaPolicyParser.Parse(document, errors);
    }
}
