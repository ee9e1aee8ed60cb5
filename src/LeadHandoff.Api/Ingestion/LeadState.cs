using System.Text.Json;
using LeadHandoff.Api.Json;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Domain.Interactions;
using LeadHandoff.Domain.Leads;

namespace LeadHandoff.Api.Ingestion;

/// A lead loaded (or created) for one batch: its row plus the Domain values read from it, written back once.
internal sealed class LeadState
{
    private LeadState(LeadRecord record, bool isNew)
    {
        Record = record;
        IsNew = isNew;
        Profile = new LeadProfile(
            record.Email,
            record.FirstName,
            record.LastName,
            record.Phone,
            record.Company,
            record.JobTitle,
            record.CompanySize,
            record.Website,
            record.Country,
            record.Industry,
            record.Score,
            JsonSerializer.Deserialize(record.CustomFieldsJson, StorageJson.Default.DictionaryStringString) ?? [],
            record.ProfileAsOf is { } asOf ? new DateTimeOffset(asOf) : null);
        _loadedCustomFields = Profile.CustomFields;
        Stats = JsonSerializer.Deserialize(record.StatsJson, StorageJson.Default.InteractionStats) ?? new InteractionStats();
        _lastDecision = record.LastDecisionJson is null
            ? null
            : JsonSerializer.Deserialize(record.LastDecisionJson, StorageJson.Default.StoredDecision);
        Stage = LeadStages.Parse(record.Stage);
    }

    // What was read, so that write-back re-serializes only what an event changed (Merge and RecordDecision
    // replace these objects rather than mutate them).
    private readonly IReadOnlyDictionary<string, string> _loadedCustomFields;
    private StoredDecision? _lastDecision;
    private bool _decisionChanged;

    public LeadRecord Record { get; }

    public bool IsNew { get; }

    public LeadProfile Profile { get; set; }

    public InteractionStats Stats { get; }

    public StoredDecision? LastDecision
    {
        get => _lastDecision;
        set
        {
            _lastDecision = value;
            _decisionChanged = true;
        }
    }

    public LeadStage Stage { get; set; }

    public static LeadState Existing(LeadRecord record) => new(record, isNew: false);

    public static LeadState Create(Guid id, DateTime now) => new(
        new LeadRecord { Id = id, CreatedAt = now, UpdatedAt = now, StageChangedAt = now, Stage = LeadStages.Name(LeadStage.Lead) },
        isNew: true);

    /// Copies the Domain values back onto the row; the version bump makes a concurrent writer's update fail.
    public void WriteBack(DateTime now)
    {
        var r = Record;
        var p = Profile;
        r.Email = p.Email;
        r.FirstName = p.FirstName;
        r.LastName = p.LastName;
        r.Phone = p.Phone;
        r.Company = p.Company;
        r.JobTitle = p.JobTitle;
        r.CompanySize = p.CompanySize;
        r.Website = p.Website;
        r.Country = p.Country;
        r.Industry = p.Industry;
        r.Score = p.Score;
        if (!ReferenceEquals(p.CustomFields, _loadedCustomFields))
        {
            r.CustomFieldsJson = JsonSerializer.Serialize(
                p.CustomFields as Dictionary<string, string> ?? new Dictionary<string, string>(p.CustomFields),
                StorageJson.Default.DictionaryStringString);
        }

        r.ProfileAsOf = p.AsOf?.UtcDateTime;
        r.StatsJson = JsonSerializer.Serialize(Stats, StorageJson.Default.InteractionStats);
        if (_decisionChanged)
        {
            r.LastDecisionJson = _lastDecision is null ? null : JsonSerializer.Serialize(_lastDecision, StorageJson.Default.StoredDecision);
        }

        var stage = LeadStages.Name(Stage);
        if (r.Stage != stage)
        {
            r.Stage = stage;
            r.StageChangedAt = now;
        }

        r.UpdatedAt = now;
        r.Version++;
    }
}

internal static class LeadStages
{
    private static readonly string[] Names = Enum.GetValues<LeadStage>().Select(s => s.ToString().ToLowerInvariant()).ToArray();

    public static string Name(LeadStage stage) => Names[(int)stage];

    public static LeadStage Parse(string name) => Enum.Parse<LeadStage>(name, ignoreCase: true);
}
