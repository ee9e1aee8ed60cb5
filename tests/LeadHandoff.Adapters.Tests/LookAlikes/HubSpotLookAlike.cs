using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LeadHandoff.Adapters.Tests.LookAlikes;

/// HubSpot CRM as documented for a private app: bearer token, contacts batch upsert by email (one contact per email,
/// <c>new</c> only the first time), notes batch upsert by a unique property, default associations, and a <c>400</c>
/// for the whole batch when one input is invalid (here: an email at <c>crm-refuses.io</c>).
public sealed class HubSpotLookAlike
{
    public const string Token = "pat-na1-look-alike-token";
    public const string NoteIdProperty = "leadhandoff_handoff_id";

    private readonly ConcurrentDictionary<string, Record> _contacts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Record> _notes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Note, string Contact), bool> _associations = new();
    private int _sequence = 1000;

    private HubSpotLookAlike(LookAlike server)
    {
        Server = server;
    }

    public LookAlike Server { get; }

    public IReadOnlyDictionary<string, Record> Contacts => _contacts;

    public IReadOnlyDictionary<string, Record> Notes => _notes;

    public IReadOnlyCollection<(string Note, string Contact)> Associations => [.. _associations.Keys];

    /// Notes whose body contains this text are refused one by one: the batch answers <c>207</c> with the other
    /// notes' results and an error for each refused one, as HubSpot's batch endpoints do.
    public string? RefuseNotesContaining { get; set; }

    /// The error category of a refused note: <c>VALIDATION_ERROR</c> (the note is invalid) or, e.g.,
    /// <c>INTERNAL_ERROR</c>.
    public string RefusedNoteCategory { get; set; } = "VALIDATION_ERROR";

    /// Links from notes whose body contains this text are refused: the associations call answers <c>207</c> with the
    /// links it made and an error for each other one.
    public string? RefuseLinksForNotesContaining { get; set; }

    /// How many inputs each notes batch upsert carried, in order.
    public IReadOnlyList<int> NoteBatchSizes => [.. _noteBatchSizes];

    private readonly ConcurrentQueue<int> _noteBatchSizes = new();

    public static async Task<HubSpotLookAlike> StartAsync()
    {
        HubSpotLookAlike? crm = null;
        var server = await LookAlike.StartAsync(app =>
        {
            app.MapPost("/crm/v3/objects/contacts/batch/upsert", c => crm!.UpsertAsync(c, crm._contacts, "email").WriteTo(c));
            app.MapPost("/crm/v3/objects/notes/batch/upsert", c => crm!.UpsertAsync(c, crm._notes, NoteIdProperty).WriteTo(c));
            app.MapPost("/crm/v4/associations/notes/contacts/batch/associate/default", c => crm!.AssociateAsync(c).WriteTo(c));
        });
        crm = new HubSpotLookAlike(server);
        return crm;
    }

    private static bool Authorized(HttpContext context) =>
        string.Equals(context.Request.Headers.Authorization.ToString(), "Bearer " + Token, StringComparison.Ordinal);

    private async Task<IResult> UpsertAsync(HttpContext context, ConcurrentDictionary<string, Record> store, string idProperty)
    {
        if (!Authorized(context))
        {
            return Results.Json(new { status = "error", category = "INVALID_AUTHENTICATION" }, statusCode: 401);
        }

        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var inputs = body["inputs"]!.AsArray();
        if (idProperty == NoteIdProperty)
        {
            _noteBatchSizes.Enqueue(inputs.Count);
        }

        var results = new JsonArray();
        var errors = new JsonArray();
        foreach (var input in inputs)
        {
            if ((string?)input!["idProperty"] != idProperty)
            {
                return Results.Json(new { status = "error", category = "VALIDATION_ERROR", message = "unknown idProperty" }, statusCode: 400);
            }

            var key = ((string)input["id"]!).ToLowerInvariant();
            if (key.EndsWith("@crm-refuses.io", StringComparison.Ordinal))
            {
                return Results.Json(new { status = "error", category = "VALIDATION_ERROR", message = "Property values were not valid" }, statusCode: 400);
            }

            var properties = input["properties"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal);
            if (RefuseNotesContaining is { } refused && properties.GetValueOrDefault("hs_note_body")?.Contains(refused, StringComparison.Ordinal) == true)
            {
                errors.Add(new JsonObject
                {
                    ["status"] = "error",
                    ["category"] = RefusedNoteCategory,
                    ["message"] = RefusedNoteCategory == "VALIDATION_ERROR" ? "Property values were not valid" : "Internal error",
                    ["context"] = new JsonObject { ["ids"] = new JsonArray(key) },
                });
                continue;
            }

            properties[idProperty] = key;
            var created = false;
            var record = store.AddOrUpdate(
                key,
                _ =>
                {
                    created = true;
                    return new Record(Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture), properties);
                },
                (_, existing) => existing with { Properties = properties });
            results.Add(new JsonObject
            {
                ["id"] = record.Id,
                ["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                ["new"] = created,
            });
        }

        return errors.Count == 0
            ? Results.Json(new JsonObject { ["status"] = "COMPLETE", ["results"] = results })
            : Results.Json(new JsonObject { ["status"] = "COMPLETE", ["results"] = results, ["numErrors"] = errors.Count, ["errors"] = errors }, statusCode: 207);
    }

    private async Task<IResult> AssociateAsync(HttpContext context)
    {
        if (!Authorized(context))
        {
            return Results.Json(new { status = "error", category = "INVALID_AUTHENTICATION" }, statusCode: 401);
        }

        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var results = new JsonArray();
        var errors = new JsonArray();
        foreach (var input in body["inputs"]!.AsArray())
        {
            var (note, contact) = ((string)input!["from"]!["id"]!, (string)input["to"]!["id"]!);
            if (RefuseLinksForNotesContaining is { } refused
                && _notes.Values.Any(n => n.Id == note && n.Properties.GetValueOrDefault("hs_note_body")?.Contains(refused, StringComparison.Ordinal) == true))
            {
                errors.Add(new JsonObject { ["status"] = "error", ["category"] = "INTERNAL_ERROR", ["message"] = "Association could not be created" });
                continue;
            }

            _associations[(note, contact)] = true;
            results.Add(new JsonObject
            {
                ["associationSpec"] = new JsonObject { ["associationCategory"] = "HUBSPOT_DEFINED", ["associationTypeId"] = 202 },
                ["from"] = new JsonObject { ["id"] = note },
                ["to"] = new JsonObject { ["id"] = contact },
            });
        }

        return errors.Count == 0
            ? Results.Json(new JsonObject { ["status"] = "COMPLETE", ["results"] = results })
            : Results.Json(new JsonObject { ["status"] = "COMPLETE", ["results"] = results, ["numErrors"] = errors.Count, ["errors"] = errors }, statusCode: 207);
    }

    public sealed record Record(string Id, IReadOnlyDictionary<string, string?> Properties);
}
