namespace LeadHandoff.Api.Policy;

/// <c>policy lint &lt;file&gt;...</c>: checks policy files the way the service loads them, for CI. Exit code 0 when
/// every file is valid, 1 when one is not (each problem on its own line, naming file, line and rule), 2 on bad usage.
internal static class PolicyLint
{
    public const int Valid = 0;
    public const int Invalid = 1;
    public const int Usage = 2;

    public static bool IsCommand(string[] args) => args is ["policy", "lint", ..];

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var files = args.Skip(2).ToList();
        if (files.Count == 0)
        {
            error.WriteLine("usage: policy lint <policy.yaml> [<policy.yaml>...]");
            return Usage;
        }

        var exitCode = Valid;
        foreach (var file in files)
        {
            var path = Path.GetFullPath(file);
            if (!File.Exists(path))
            {
                error.WriteLine($"{path}: file not found.");
                exitCode = Invalid;
                continue;
            }

            var result = PolicyFile.Parse(File.ReadAllText(path), path, Path.GetDirectoryName(path));
            if (result.Policy is { } policy)
            {
                output.WriteLine(
                    $"{path}: valid, version {policy.Version} ({policy.Mql.Fit.Count} fit and {policy.Mql.Engagement.Count} engagement rules, "
                    + $"{policy.Scoring.Fit.Count} scoring rules, {policy.Blacklist.Count} blacklist entries, {policy.Allow.Count} allow-list entries).");
                continue;
            }

            foreach (var line in result.Errors)
            {
                error.WriteLine(line);
            }

            exitCode = Invalid;
        }

        return exitCode;
    }
}
