namespace LeadHandoff.Api.Sources;

/// <c>LeadHandoff:Sources:{id}</c>: one configured webhook source.
internal sealed class SourceOptions
{
    /// Picks the verifier and normalizer (<c>standard</c>, …).
    public string? Kind { get; set; }

    /// Accepted secrets; two while a secret is being rotated.
    public List<string> Secrets { get; set; } = [];
}

internal sealed class WebhookOptions
{
    public const string SectionName = "LeadHandoff:Webhooks";

    /// Larger bodies are refused with 413 before they are read.
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// How far a signed timestamp may be from our clock, either way.
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    public int MaxEventsPerRequest { get; set; } = 1000;
}
