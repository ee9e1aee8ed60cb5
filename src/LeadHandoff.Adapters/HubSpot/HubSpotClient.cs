using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LeadHandoff.Adapters.Delivery;
using LeadHandoff.Contracts.V1;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Adapters.HubSpot;

/// Lands handoffs in HubSpot CRM: contacts upserted by email in one batch call, a note per handoff upserted by the
/// handoff id (so a redelivery updates it), and each note associated with its contact. Every call is an upsert or an
/// idempotent association, so the whole sequence may be repeated safely.
internal sealed class HubSpotClient(HttpClient http, IOptions<HubSpotOptions> options, TimeProvider time)
{
    public const string Crm = "hubspot";

    private readonly HubSpotOptions _options = options.Value;

    public async Task<IReadOnlyList<DeliveryResult>> DeliverAsync(IReadOnlyList<LeadHandoffRequested> handoffs, CancellationToken cancellationToken)
    {
        var results = new List<DeliveryResult>();
        var withEmail = new List<LeadHandoffRequested>();
        foreach (var handoff in handoffs)
        {
            if (string.IsNullOrWhiteSpace(handoff.Lead.Email))
            {
                results.Add(DeliveryResult.Refused(handoff.HandoffId, "no_email"));
            }
            else
            {
                withEmail.Add(handoff);
            }
        }

        if (withEmail.Count == 0)
        {
            return results;
        }

        var contacts = await UpsertContactsAsync(withEmail, cancellationToken);
        if (contacts is null)
        {
            // One invalid contact fails a whole batch with 400; alone, each handoff gets its own verdict.
            if (withEmail.Count == 1)
            {
                results.Add(DeliveryResult.Refused(withEmail[0].HandoffId, "http_400"));
                return results;
            }

            // A handoff whose own call fails for now does not hold back the verdicts of the others.
            CrmDeliveryException? pending = null;
            foreach (var handoff in withEmail)
            {
                try
                {
                    results.AddRange(await DeliverAsync([handoff], cancellationToken));
                }
                catch (Exception ex) when (HandoffDelivery.Classify(ex) is { } failure)
                {
                    if (failure.Retryable)
                    {
                        results.AddRange(failure.Settled);
                        pending ??= failure;
                    }
                    else
                    {
                        results.Add(DeliveryResult.Refused(handoff.HandoffId, failure.Reason));
                    }
                }
            }

            return pending is null ? results : throw CrmDeliveryException.Partial(pending.Reason, results, pending);
        }

        var landed = new List<(LeadHandoffRequested Handoff, string ContactId)>();
        foreach (var handoff in withEmail)
        {
            if (contacts.TryGetValue(Normalize(handoff.Lead.Email!), out var contactId))
            {
                landed.Add((handoff, contactId));
            }
            else
            {
                results.Add(DeliveryResult.Refused(handoff.HandoffId, "contact_rejected"));
            }
        }

        if (landed.Count == 0)
        {
            return results;
        }

        // A 207 answer lists the notes HubSpot stored and the errors of the others: an invalid note is refused for
        // good (retrying sends the same note), any other missing note is retried.
        var (notes, invalid) = await UpsertNotesAsync(landed.Select(l => l.Handoff).ToList(), cancellationToken);
        results.AddRange(landed
            .Where(l => invalid.Contains(l.Handoff.HandoffId.ToString()))
            .Select(l => DeliveryResult.Refused(l.Handoff.HandoffId, "note_refused")));
        landed.RemoveAll(l => invalid.Contains(l.Handoff.HandoffId.ToString()));
        var noted = landed.Where(l => notes.ContainsKey(l.Handoff.HandoffId.ToString())).ToList();
        var unlinked = 0;
        if (noted.Count > 0)
        {
            var associations = noted
                .Select(l => new HubSpotAssociateInput(new HubSpotObjectId(notes[l.Handoff.HandoffId.ToString()]), new HubSpotObjectId(l.ContactId)))
                .ToList();
            var linked = await SendAsync(HttpMethod.Post, "crm/v4/associations/notes/contacts/batch/associate/default", new HubSpotAssociateRequest(associations), HubSpotJson.Default.HubSpotAssociateRequest, cancellationToken);
            // A 207 lists the links made; a note left unlinked is retried like a missing note.
            if (linked!.Errors is { Count: > 0 })
            {
                var made = (linked.Results ?? []).Where(r => r.From is not null && r.To is not null).Select(r => (r.From!.Id, r.To!.Id)).ToHashSet();
                unlinked = noted.RemoveAll(l => !made.Contains((notes[l.Handoff.HandoffId.ToString()], l.ContactId)));
            }

            results.AddRange(noted.Select(l => DeliveryResult.Landed(l.Handoff.HandoffId, l.ContactId)));
        }

        // A contact without its note is not delivered yet: the seller would miss the summary.
        return noted.Count < landed.Count ? throw CrmDeliveryException.Partial(unlinked > 0 ? "note_unlinked" : "note_missing", results) : results;
    }

    /// Contact ids by normalized email, or null when HubSpot refused the batch as invalid.
    private async Task<Dictionary<string, string>?> UpsertContactsAsync(IReadOnlyList<LeadHandoffRequested> handoffs, CancellationToken cancellationToken)
    {
        // One input per email: the original and a replay of one handoff may arrive in the same batch.
        var inputs = handoffs
            .GroupBy(h => Normalize(h.Lead.Email!), StringComparer.Ordinal)
            .Select(g => new HubSpotUpsertInput("email", g.Key, ContactProperties(g.Last())))
            .ToList();
        var response = await SendAsync(HttpMethod.Post, "crm/v3/objects/contacts/batch/upsert", new HubSpotUpsertRequest(inputs), HubSpotJson.Default.HubSpotUpsertRequest, cancellationToken, allowBadRequest: true);
        if (response is null)
        {
            return null;
        }

        var contacts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var result in response.Results ?? [])
        {
            if (result.Id is null || result.Properties?.GetValueOrDefault("email") is not { } email)
            {
                throw CrmDeliveryException.Transient("malformed_response");
            }

            contacts[Normalize(email)] = result.Id;
        }

        return contacts;
    }

    /// Note ids by handoff id, and the handoff ids whose note HubSpot refused as invalid.
    private async Task<(Dictionary<string, string> Notes, HashSet<string> Invalid)> UpsertNotesAsync(IReadOnlyList<LeadHandoffRequested> handoffs, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        var inputs = handoffs
            .DistinctBy(h => h.HandoffId)
            .Select(h => new HubSpotUpsertInput(_options.NoteIdProperty, h.HandoffId.ToString(), new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["hs_timestamp"] = timestamp,
                ["hs_note_body"] = HandoffSummary.Text(h),
            }))
            .ToList();
        var response = await SendAsync(HttpMethod.Post, "crm/v3/objects/notes/batch/upsert", new HubSpotUpsertRequest(inputs), HubSpotJson.Default.HubSpotUpsertRequest, cancellationToken);
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var result in response!.Results ?? [])
        {
            if (result.Id is null || result.Properties?.GetValueOrDefault(_options.NoteIdProperty) is not { } handoffId)
            {
                throw CrmDeliveryException.Transient("malformed_response");
            }

            notes[handoffId] = result.Id;
        }

        var invalid = new HashSet<string>(StringComparer.Ordinal);
        foreach (var error in response.Errors ?? [])
        {
            if (error.Category == "VALIDATION_ERROR" && error.Context?.GetValueOrDefault("ids") is { } ids)
            {
                invalid.UnionWith(ids.Where(id => !notes.ContainsKey(id)));
            }
        }

        return (notes, invalid);
    }

    private Dictionary<string, string> ContactProperties(LeadHandoffRequested handoff)
    {
        var lead = handoff.Lead;
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["email"] = Normalize(lead.Email!),
            ["lifecyclestage"] = _options.LifecycleStage,
            ["hs_lead_status"] = _options.LeadStatus,
        };
        Add(properties, "firstname", lead.FirstName);
        Add(properties, "lastname", lead.LastName);
        Add(properties, "phone", lead.Phone);
        Add(properties, "company", lead.Company);
        Add(properties, "jobtitle", lead.JobTitle);
        Add(properties, "website", lead.Website);
        Add(properties, "country", lead.Country);
        Add(properties, "industry", lead.Industry);
        Add(properties, "numemployees", lead.CompanySize?.ToString(CultureInfo.InvariantCulture));
        return properties;
    }

    private async Task<HubSpotBatchResponse?> SendAsync<TRequest>(
        HttpMethod method,
        string path,
        TRequest body,
        JsonTypeInfo<TRequest> typeInfo,
        CancellationToken cancellationToken,
        bool allowBadRequest = false)
    {
        using var request = new HttpRequestMessage(method, new Uri(_options.BaseUrl!, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.AccessToken);
        request.Content = JsonContent.Create(body, typeInfo);
        request.Options.Set(CrmResilience.Idempotent, true);
        using var response = await http.SendAsync(request, cancellationToken);

        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.BadRequest && allowBadRequest)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            var reason = "http_" + status.ToString(CultureInfo.InvariantCulture);
            throw status is 429 or 408 or >= 500 ? CrmDeliveryException.Transient(reason) : CrmDeliveryException.Permanent(reason);
        }

        try
        {
            return await response.Content.ReadFromJsonAsync(HubSpotJson.Default.HubSpotBatchResponse, cancellationToken)
                ?? throw CrmDeliveryException.Transient("malformed_response");
        }
        catch (JsonException ex)
        {
            throw CrmDeliveryException.Transient("malformed_response", ex);
        }
    }

    private static void Add(Dictionary<string, string> properties, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            properties[name] = value;
        }
    }

    private static string Normalize(string email) => email.Trim().ToLowerInvariant();
}
