namespace LeadHandoff.Api.Policy;

internal sealed class PolicyOptions
{
    public const string SectionName = "LeadHandoff:Policy";

    /// The policy file; empty means the shipped default policy.
    public string? Path { get; set; }

    /// How often the file is checked for edits.
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(5);
}
