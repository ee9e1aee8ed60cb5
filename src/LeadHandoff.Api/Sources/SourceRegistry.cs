using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Sources;

internal sealed record WebhookSource(string Id, ISourceKind Kind, IReadOnlyList<byte[]> Keys, SourceOptions Options);

/// The configured sources, resolved once at start-up with their secrets decoded.
internal sealed class SourceRegistry
{
    private readonly Dictionary<string, WebhookSource> _sources;

    public SourceRegistry(IReadOnlyDictionary<string, SourceOptions> configured, IEnumerable<ISourceKind> kinds)
    {
        _sources = Build(configured, kinds, out var errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Webhook sources are misconfigured:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }
    }

    public bool TryGet(string id, out WebhookSource source) => _sources.TryGetValue(id, out source!);

    /// Every problem with every source at once, each naming its setting.
    public static Dictionary<string, WebhookSource> Build(
        IReadOnlyDictionary<string, SourceOptions> configured, IEnumerable<ISourceKind> kinds, out List<string> errors)
    {
        var byName = kinds.ToDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase);
        errors = [];
        var sources = new Dictionary<string, WebhookSource>(StringComparer.OrdinalIgnoreCase);

        foreach (var (id, options) in configured)
        {
            var where = $"LeadHandoff:Sources:{id}";
            if (id.Length > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                errors.Add($"{where}: a source id is at most 64 letters, digits, '-' or '_' (it is part of the webhook URL and of every event's key).");
                continue;
            }

            if (!byName.TryGetValue(options.Kind ?? string.Empty, out var kind))
            {
                errors.Add($"{where}:Kind '{options.Kind}' is not one of {string.Join(", ", byName.Keys)}.");
                continue;
            }

            var secrets = options.Secrets.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
            if (secrets.Count == 0)
            {
                errors.Add($"{where}:Secrets needs at least one secret.");
                continue;
            }

            var keys = new List<byte[]>(secrets.Count);
            for (var i = 0; i < secrets.Count; i++)
            {
                try
                {
                    keys.Add(kind.DecodeSecret(secrets[i]));
                }
                catch (FormatException ex)
                {
                    errors.Add($"{where}:Secrets:{i} {ex.Message}");
                }
            }

            errors.AddRange(kind.ValidateOptions(where, options));
            sources[id] = new WebhookSource(id, kind, keys, options);
        }

        return sources;
    }
}

/// Runs the registry's checks when the host starts (ValidateOnStart), not on the first webhook.
internal sealed class SourcesValidation(IEnumerable<ISourceKind> kinds) : IValidateOptions<Dictionary<string, SourceOptions>>
{
    public ValidateOptionsResult Validate(string? name, Dictionary<string, SourceOptions> options)
    {
        SourceRegistry.Build(options, kinds, out var errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
