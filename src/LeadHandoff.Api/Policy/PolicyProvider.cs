using LeadHandoff.Domain.Qualification;

namespace LeadHandoff.Api.Policy;

/// Holds the policy in force. It is loaded once at start-up and a bad file stops the process: a service that
/// qualifies leads with no policy, or half of one, would hand sellers the wrong leads.
internal sealed class PolicyProvider
{
    public PolicyProvider(QualificationPolicy current, string path)
    {
        Current = current;
        Path = path;
    }

    public QualificationPolicy Current { get; }

    public string Path { get; }

    public static PolicyProvider Load(string? configuredPath, string contentRoot)
    {
        var path = string.IsNullOrWhiteSpace(configuredPath)
            ? System.IO.Path.Combine(AppContext.BaseDirectory, "Policy", "default-policy.yaml")
            : System.IO.Path.GetFullPath(configuredPath, contentRoot);

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The qualification policy file '{path}' does not exist (LeadHandoff:Policy:Path).");
        }

        var result = PolicyFile.Parse(File.ReadAllText(path), path);
        if (result.Policy is null)
        {
            throw new InvalidOperationException(
                "The qualification policy is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, result.Errors));
        }

        return new PolicyProvider(result.Policy, path);
    }
}
