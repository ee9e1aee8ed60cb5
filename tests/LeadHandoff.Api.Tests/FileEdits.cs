namespace LeadHandoff.Api.Tests;

/// Edits a watched file the way editors and Kubernetes ConfigMap updates do: the new content appears at once, so a
/// reload never reads a half-written file.
internal static class FileEdits
{
    public static async Task ReplaceAsync(string path, string text)
    {
        var staged = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllTextAsync(staged, text);
        File.Move(staged, path, overwrite: true);
    }
}
