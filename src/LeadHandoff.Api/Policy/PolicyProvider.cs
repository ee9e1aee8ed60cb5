using System.Security.Cryptography;
using LeadHandoff.Domain.Qualification;

namespace LeadHandoff.Api.Policy;

/// Holds the policy in force. A bad file at start-up stops the process: a service that qualifies leads with no
/// policy, or half of one, would hand sellers the wrong leads. Later edits are picked up by <see cref="PolicyReloader"/>:
/// a valid file replaces the policy, an invalid one leaves the previous policy in force and is reported.
internal sealed class PolicyProvider
{
    private volatile Snapshot _snapshot;

    private PolicyProvider(string path, QualificationPolicy policy, byte[] hash, IReadOnlyList<string> dataFiles)
    {
        Path = path;
        _snapshot = new Snapshot(policy, hash, null, dataFiles);
    }

    public string Path { get; }

    public QualificationPolicy Current => _snapshot.Policy;

    /// Why the file on disk is not the policy in force, or null when it is.
    public IReadOnlyList<string>? RejectedEdit => _snapshot.RejectedEdit;

    public static PolicyProvider Load(string? configuredPath, string contentRoot)
    {
        var path = string.IsNullOrWhiteSpace(configuredPath)
            ? System.IO.Path.Combine(AppContext.BaseDirectory, "Policy", "default-policy.yaml")
            : System.IO.Path.GetFullPath(configuredPath, contentRoot);

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The qualification policy file '{path}' does not exist (LeadHandoff:Policy:Path).");
        }

        var bytes = File.ReadAllBytes(path);
        var result = PolicyFile.Parse(System.Text.Encoding.UTF8.GetString(bytes), path, System.IO.Path.GetDirectoryName(path));
        if (result.Policy is null)
        {
            throw new InvalidOperationException(
                "The qualification policy is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, result.Errors));
        }

        return new PolicyProvider(path, result.Policy, Fingerprint(bytes, result.DataFiles), result.DataFiles);
    }

    /// Re-reads the file when its content changed. Returns what happened, for logging.
    public async Task<ReloadOutcome> ReloadAsync(CancellationToken cancellationToken)
    {
        var current = _snapshot;
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(Path, cancellationToken);
        }
        catch (IOException ex)
        {
            // A file mid-replacement or briefly absent: the policy in force stays, and the next poll tries again.
            var errors = new[] { $"{Path}: cannot be read ({ex.Message})." };
            _snapshot = current with { RejectedEdit = errors };
            return new ReloadOutcome(ReloadResult.Rejected, errors);
        }

        var hash = Fingerprint(bytes, current.DataFiles);
        if (hash.AsSpan().SequenceEqual(current.Hash))
        {
            return ReloadOutcome.Unchanged;
        }

        var result = PolicyFile.Parse(System.Text.Encoding.UTF8.GetString(bytes), Path, System.IO.Path.GetDirectoryName(Path));
        if (result.Policy is null)
        {
            _snapshot = current with { Hash = hash, RejectedEdit = result.Errors };
            return new ReloadOutcome(ReloadResult.Rejected, result.Errors);
        }

        _snapshot = new Snapshot(result.Policy, Fingerprint(bytes, result.DataFiles), null, result.DataFiles);
        return new ReloadOutcome(ReloadResult.Loaded, []);
    }

    /// The policy file and the data files it read (a shipped domain list, a competitor list): an edit of either is an
    /// edit of the policy. A data file that cannot be read changes the fingerprint, so the reload reports why.
    private static byte[] Fingerprint(byte[] policy, IReadOnlyList<string> dataFiles)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(policy);
        foreach (var file in dataFiles)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(file));
            try
            {
                hash.AppendData(File.ReadAllBytes(file));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                hash.AppendData([0xFF]);
            }
        }

        return hash.GetHashAndReset();
    }

    private sealed record Snapshot(QualificationPolicy Policy, byte[] Hash, IReadOnlyList<string>? RejectedEdit, IReadOnlyList<string> DataFiles);
}

internal enum ReloadResult
{
    Unchanged,
    Loaded,
    Rejected,
}

internal sealed record ReloadOutcome(ReloadResult Result, IReadOnlyList<string> Errors)
{
    public static readonly ReloadOutcome Unchanged = new(ReloadResult.Unchanged, []);
}
