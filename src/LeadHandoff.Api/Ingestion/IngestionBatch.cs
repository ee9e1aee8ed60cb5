using System.Diagnostics;
using System.Text.Json;
using LeadHandoff.Api.Handoffs;
using LeadHandoff.Api.Json;
using LeadHandoff.Api.Outbox;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Policy;
using LeadHandoff.Api.Sources;
using LeadHandoff.Api.Telemetry;
using LeadHandoff.Api.Webhooks.HubSpot;
using LeadHandoff.Domain.Events;
using LeadHandoff.Domain.Leads;
using LeadHandoff.Domain.Qualification;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Ingestion;

/// Processes one batch of webhook requests in one transaction: deduplicate, resolve identities, append history,
/// qualify, and on a new MQL write the handoff and its outbox row. Reads are set-based (a fixed number of
/// queries per batch, whatever its size).
internal sealed class IngestionBatch(
    LeadHandoffDbContext db,
    PolicyProvider policies,
    TimeProvider time,
    OutboxSignal outboxSignal,
    StorageWriteGate writeGate,
    ILogger<IngestionBatch> logger)
{
    private readonly Dictionary<string, LeadState> _byEmail = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LeadState> _byExternalId = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, LeadState> _touched = [];
    private readonly List<LeadMergeRecord> _merges = [];
    private readonly HashSet<(string SourceId, string ObjectId)> _fetches = [];
    private readonly List<PendingErasure> _erasures = [];

    // Counted once the batch commits: a batch redone after a conflict must not count its decisions twice.
    private readonly List<string> _decisionOutcomes = [];
    private readonly List<string> _handoffSources = [];
    private readonly List<(string SourceId, string PlatformType)> _unmapped = [];
    private readonly List<string> _mergeReasons = [];
    private int _fetchesQueued;

    public async Task<IngestResult[]> ProcessAsync(IReadOnlyList<IngestRequest> batch, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = LeadHandoffTelemetry.Source.StartActivity(
            "ingest batch",
            ActivityKind.Internal,
            parentContext: default,
            links: batch.Where(r => r.Origin != default).Select(r => new ActivityLink(r.Origin)));
        activity?.SetTag("leadhandoff.batch.requests", batch.Count);

        var now = time.GetUtcNow();
        var policy = policies.Current;
        var keys = batch.Select(r => r.Events.Select(e => DedupKey(r.SourceId, e.Event.EventId)).ToArray()).ToArray();
        var existing = await LoadExistingKeysAsync(keys, cancellationToken);
        await LoadLeadsAsync(batch, keys, existing, cancellationToken);

        var results = new IngestResult[batch.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int accepted = 0, duplicates = 0, handoffs = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var request = batch[i];
            int requestAccepted = 0, requestDuplicates = 0;
            var ids = new string[request.Events.Count];
            for (var j = 0; j < request.Events.Count; j++)
            {
                var incoming = request.Events[j];
                var key = keys[i][j];
                ids[j] = incoming.Event.EventId;
                if (existing.Contains(key) || !seen.Add(key))
                {
                    requestDuplicates++;
                    continue;
                }

                requestAccepted++;
                if (Apply(request, incoming, key, policy, now))
                {
                    handoffs++;
                }
            }

            accepted += requestAccepted;
            duplicates += requestDuplicates;
            results[i] = new IngestResult(requestAccepted, requestDuplicates, ids);
        }

        var nowUtc = now.UtcDateTime;
        for (var i = 0; i < _erasures.Count; i++)
        {
            var erased = _erasures[i].Lead;
            if (erased.Profile.Email is { } erasedEmail)
            {
                _byEmail.Remove(erasedEmail);
            }

            _erasures[i] = _erasures[i] with { Email = erased.Profile.Email };
            erased.Profile = PrivacyErasure.Anonymize(erased.Profile);
        }

        foreach (var lead in _touched.Values)
        {
            lead.WriteBack(nowUtc);
            if (lead.IsNew)
            {
                db.Leads.Add(lead.Record);
            }
        }

        using (await writeGate.EnterAsync(cancellationToken))
        {
            if (_merges.Count == 0 && _fetches.Count == 0 && _erasures.Count == 0)
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            else
            {
                await SaveInTransactionAsync(nowUtc, cancellationToken);
            }
        }

        if (handoffs > 0)
        {
            outboxSignal.Notify();
        }

        RecordMetrics(batch, results);
        RecordCommitted();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LeadHandoffTelemetry.BatchSize.Record(batch.Count);
        LeadHandoffTelemetry.CommitDuration.Record(elapsed);
        activity?.SetTag("leadhandoff.events.accepted", accepted);
        activity?.SetTag("leadhandoff.events.duplicates", duplicates);
        activity?.SetTag("leadhandoff.handoffs.created", handoffs);
        logger.BatchCommitted(batch.Count, accepted, duplicates, handoffs, elapsed);
        return results;
    }

    public static string DedupKey(string sourceId, string eventId) => string.Concat(sourceId, ":", eventId);

    /// Returns true when the event made the lead an MQL.
    private bool Apply(IngestRequest request, IncomingEvent incoming, string key, QualificationPolicy policy, DateTimeOffset now)
    {
        var leadEvent = incoming.Event;
        if (incoming.UnmappedType is { } unmappedType)
        {
            StoreUnmapped(request, incoming, unmappedType, key, now);
            return false;
        }

        var lead = Resolve(leadEvent, key, now);
        var previousEmail = lead.Profile.Email;
        var contact = leadEvent.Contact;
        var incomingEmail = EmailAddress.Normalize(contact.Email);
        if (previousEmail is not null && incomingEmail is not null && incomingEmail != previousEmail)
        {
            // Matched by external id while the email says someone else (or an address change): the known email
            // keeps identifying this lead, and a person is never re-keyed on one platform's say-so.
            logger.EmailConflict(lead.Record.Id);
            contact = contact with { Email = null };
        }

        lead.Profile = lead.Profile.Merge(contact, leadEvent.OccurredAt);
        if (lead.Profile.Email != previousEmail && lead.Profile.Email is not null)
        {
            if (previousEmail is not null)
            {
                _byEmail.Remove(previousEmail);
            }

            _byEmail[lead.Profile.Email] = lead;
        }

        lead.Stats.Record(leadEvent, request.SourceId);
        if (incoming.FetchObjectId is { } fetchId && lead.Profile.Email is null)
        {
            _fetches.Add((request.SourceId, fetchId));
        }

        var interaction = leadEvent.Interaction;
        db.InteractionEvents.Add(new InteractionEventRecord
        {
            DedupKey = key,
            SourceId = request.SourceId,
            EventId = leadEvent.EventId,
            LeadId = lead.Record.Id,
            Type = EventTypes.Name(leadEvent.Type),
            OccurredAt = leadEvent.OccurredAt.UtcDateTime,
            ReceivedAt = now.UtcDateTime,
            Channel = interaction?.Channel,
            Name = interaction?.Name,
            Url = interaction?.Url,
            Campaign = interaction?.Campaign,
            Payload = incoming.Payload,
        });

        var facts = new LeadFacts(lead.Profile, lead.Stats, now) { LeadId = lead.Record.Id };
        var step = QualificationStep.Next(policy, lead.Stage, facts);
        if (step.Decision is { } decision)
        {
            RecordDecision(lead, decision, key, now);
        }

        lead.Stage = step.Stage;
        if (!step.HandOff)
        {
            return false;
        }

        CreateHandoff(request, lead, step.Decision!, policy, now);
        return true;
    }

    /// Kept as a raw interaction on its lead (or on no lead when it names none), never merged into the profile
    /// nor qualified on: platforms disable webhooks that keep failing, so what we do not use is still accepted.
    private void StoreUnmapped(IngestRequest request, IncomingEvent incoming, string platformType, string key, DateTimeOffset now)
    {
        var leadEvent = incoming.Event;
        var identified = leadEvent.Contact.Email is not null || leadEvent.Contact.ExternalIds.Count > 0;
        var lead = identified ? Resolve(leadEvent, key, now) : null;
        var leadId = lead?.Record.Id ?? Guid.Empty;
        if (lead is not null && incoming.ErasesPersonalData)
        {
            // Later events of the batch may still name the person; the profile is anonymized once they are applied.
            _erasures.Add(new PendingErasure(lead, request.SourceId, platformType, key, leadEvent.OccurredAt));
        }

        db.InteractionEvents.Add(new InteractionEventRecord
        {
            DedupKey = key,
            SourceId = request.SourceId,
            EventId = leadEvent.EventId,
            LeadId = leadId,
            Type = UnmappedEvents.Type,
            OccurredAt = leadEvent.OccurredAt.UtcDateTime,
            ReceivedAt = now.UtcDateTime,
            Name = platformType.Length <= 200 ? platformType : platformType[..200],
            Payload = incoming.Payload,
        });
        _unmapped.Add((request.SourceId, platformType));
    }

    private LeadState Resolve(LeadEvent leadEvent, string eventKey, DateTimeOffset now)
    {
        var email = EmailAddress.Normalize(leadEvent.Contact.Email);
        LeadState? lead = null;
        var foundBy = "email";
        if (email is not null)
        {
            _byEmail.TryGetValue(email, out lead);
        }

        foreach (var (system, value) in leadEvent.Contact.ExternalIds)
        {
            if (!_byExternalId.TryGetValue(LeadExternalIdRecord.KeyOf(system, value), out var owner))
            {
                continue;
            }

            if (lead is null)
            {
                lead = owner;
                foundBy = system.ToLowerInvariant();
            }
            else if (owner != lead && LeadMerger.CanMerge(lead, owner))
            {
                lead = Merge(lead, owner, foundBy + "+" + system.ToLowerInvariant(), eventKey, now);
            }
        }

        if (lead is null)
        {
            lead = LeadState.Create(Guid.CreateVersion7(now), now.UtcDateTime);
            if (email is not null)
            {
                _byEmail[email] = lead;
            }
        }

        _touched.TryAdd(lead.Record.Id, lead);
        AttachExternalIds(lead, leadEvent.Contact.ExternalIds);
        return lead;
    }

    /// One event named two records of one person: the older absorbs the other, which then points at it.
    private LeadState Merge(LeadState a, LeadState b, string reason, string eventKey, DateTimeOffset now)
    {
        var (winner, loser) = LeadMerger.Order(a, b);
        var loserEmail = loser.Profile.Email;
        LeadMerger.Absorb(winner, loser);
        if (loserEmail is not null)
        {
            _byEmail[loserEmail] = winner;
        }

        foreach (var externalId in loser.Record.ExternalIds.ToList())
        {
            loser.Record.ExternalIds.Remove(externalId);
            externalId.LeadId = winner.Record.Id;
            winner.Record.ExternalIds.Add(externalId);
            if (loser.IsNew && !winner.IsNew)
            {
                db.LeadExternalIds.Add(externalId);
            }

            _byExternalId[externalId.Key] = winner;
        }

        _touched.TryAdd(winner.Record.Id, winner);
        _touched.TryAdd(loser.Record.Id, loser);
        _merges.Add(new LeadMergeRecord
        {
            WinnerId = winner.Record.Id,
            LoserId = loser.Record.Id,
            Reason = reason,
            EventDedupKey = eventKey,
            MergedAt = now.UtcDateTime,
        });
        _mergeReasons.Add(reason);
        logger.LeadsMerged(loser.Record.Id, winner.Record.Id, reason);
        return winner;
    }

    /// History rows already stored under a merge's loser move, and pending contact fetches are written, in the same
    /// transaction as everything else of the batch.
    private async Task SaveInTransactionAsync(DateTime now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var merge in _merges)
        {
            var (winner, loser) = (merge.WinnerId, merge.LoserId);
            await db.InteractionEvents.Where(e => e.LeadId == loser).ExecuteUpdateAsync(u => u.SetProperty(e => e.LeadId, winner), cancellationToken);
            await db.Decisions.Where(d => d.LeadId == loser).ExecuteUpdateAsync(u => u.SetProperty(d => d.LeadId, winner), cancellationToken);
            await db.StageTransitions.Where(t => t.LeadId == loser).ExecuteUpdateAsync(u => u.SetProperty(t => t.LeadId, winner), cancellationToken);
            foreach (var pending in db.ChangeTracker.Entries<InteractionEventRecord>().Where(e => e.Entity.LeadId == loser))
            {
                pending.Entity.LeadId = winner;
            }

            foreach (var pending in db.ChangeTracker.Entries<DecisionRecord>().Where(e => e.Entity.LeadId == loser))
            {
                pending.Entity.LeadId = winner;
            }

            db.LeadMerges().Add(merge);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (_fetches.Count > 0)
        {
            _fetchesQueued = await ContactFetchModel.AddPendingAsync(db, _fetches, now, cancellationToken);
        }

        foreach (var erasure in _erasures)
        {
            var record = await PrivacyErasure.ApplyAsync(db, erasure, now, cancellationToken);
            logger.LeadErased(record.LeadId, record.SourceId, record.Reason, record.InteractionsScrubbed, record.DeadLettersScrubbed);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private void AttachExternalIds(LeadState lead, IReadOnlyDictionary<string, string> externalIds)
    {
        foreach (var (system, value) in externalIds)
        {
            var key = LeadExternalIdRecord.KeyOf(system, value);
            if (_byExternalId.TryGetValue(key, out var owner))
            {
                if (owner != lead)
                {
                    // Two records of one person; merging them is a deliberate act, never a side effect of ingestion.
                    logger.IdentityConflict(lead.Record.Id, system, owner.Record.Id);
                }

                continue;
            }

            var normalizedSystem = system.ToLowerInvariant();
            if (lead.Record.ExternalIds.Exists(x => x.System == normalizedSystem))
            {
                // One id per system per lead: a second one is another record in that system, not an alias.
                logger.ExternalIdConflict(lead.Record.Id, normalizedSystem);
                continue;
            }

            var record = new LeadExternalIdRecord { Key = key, System = normalizedSystem, Value = value, LeadId = lead.Record.Id };
            lead.Record.ExternalIds.Add(record);
            if (!lead.IsNew)
            {
                db.LeadExternalIds.Add(record);
            }

            _byExternalId[key] = lead;
        }
    }

    private void RecordDecision(LeadState lead, Decision decision, string eventKey, DateTimeOffset now)
    {
        var outcome = decision.Outcome.ToString().ToLowerInvariant();
        var rules = decision.Rules.Select(r => new StoredVerdict(r.RuleId, r.Description, r.Matched, r.Observed)).ToList();
        var last = lead.LastDecision;
        var scores = new StoredScores(decision.Scores.Fit, decision.Scores.Engagement, decision.Scores.Grade);
        if (last is not null && last.Outcome == outcome && last.PolicyVersion == decision.PolicyVersion && last.Rules.SequenceEqual(rules))
        {
            if (last.Scores != scores)
            {
                lead.LastDecision = last with { Scores = scores };
            }

            return;
        }

        lead.LastDecision = new StoredDecision(outcome, decision.PolicyVersion, rules, now) { Scores = scores };
        db.Decisions.Add(new DecisionRecord
        {
            LeadId = lead.Record.Id,
            Outcome = outcome,
            PolicyVersion = decision.PolicyVersion,
            RulesJson = JsonSerializer.Serialize<IReadOnlyList<StoredVerdict>>(rules, StorageJson.Default.IReadOnlyListStoredVerdict),
            EventDedupKey = eventKey,
            DecidedAt = now.UtcDateTime,
        });
        _decisionOutcomes.Add(outcome);
        if (decision is Disqualified)
        {
            logger.LeadDisqualified(lead.Record.Id, decision.PolicyVersion, string.Join(',', decision.Rules.Select(r => r.RuleId)));
        }
    }

    private void CreateHandoff(IngestRequest request, LeadState lead, Decision decision, QualificationPolicy policy, DateTimeOffset now)
    {
        var handoffId = HandoffWrites.Add(db, lead, decision, policy.Sla, request.SourceId, now, request.Origin);
        _handoffSources.Add(request.SourceId);
        logger.LeadQualified(lead.Record.Id, decision.PolicyVersion, handoffId);
    }

    private async Task<HashSet<string>> LoadExistingKeysAsync(string[][] keys, CancellationToken cancellationToken)
    {
        var distinct = keys.SelectMany(k => k).Distinct().ToList();
        var found = await db.InteractionEvents.AsNoTracking()
            .Where(e => distinct.Contains(e.DedupKey))
            .Select(e => e.DedupKey)
            .ToListAsync(cancellationToken);
        return found.ToHashSet(StringComparer.Ordinal);
    }

    private async Task LoadLeadsAsync(IReadOnlyList<IngestRequest> batch, string[][] keys, HashSet<string> existing, CancellationToken cancellationToken)
    {
        var fresh = batch
            .SelectMany((r, i) => r.Events.Where((_, j) => !existing.Contains(keys[i][j])))
            .Select(e => e.Event.Contact)
            .ToList();
        var emails = fresh.Select(c => EmailAddress.Normalize(c.Email)).OfType<string>().Distinct().ToList();
        var externalKeys = fresh.SelectMany(c => c.ExternalIds.Select(x => LeadExternalIdRecord.KeyOf(x.Key, x.Value))).Distinct().ToList();
        if (emails.Count == 0 && externalKeys.Count == 0)
        {
            return;
        }

        // Two indexed lookups rather than one OR across tables, which PostgreSQL answers with a scan of every lead.
        var leads = emails.Count == 0
            ? []
            : await db.Leads.Include(l => l.ExternalIds).Where(l => emails.Contains(l.Email!)).ToListAsync(cancellationToken);
        if (externalKeys.Count > 0)
        {
            var known = leads.Select(l => l.Id).ToList();
            var byExternalId = db.LeadExternalIds.Where(x => externalKeys.Contains(x.Key)).Select(x => x.LeadId);
            leads.AddRange(await db.Leads.Include(l => l.ExternalIds)
                .Where(l => byExternalId.Contains(l.Id) && !known.Contains(l.Id))
                .ToListAsync(cancellationToken));
        }

        foreach (var record in leads)
        {
            var state = LeadState.Existing(record);
            if (record.Email is not null)
            {
                _byEmail[record.Email] = state;
            }

            foreach (var externalId in record.ExternalIds)
            {
                _byExternalId[externalId.Key] = state;
            }
        }
    }

    private void RecordCommitted()
    {
        foreach (var outcome in _decisionOutcomes)
        {
            LeadHandoffTelemetry.Decisions.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        }

        foreach (var source in _handoffSources)
        {
            HandoffWrites.Count(source);
        }

        foreach (var (sourceId, platformType) in _unmapped)
        {
            UnmappedEvents.Count(sourceId, platformType);
        }

        foreach (var reason in _mergeReasons)
        {
            LeadMergeTelemetry.Merged(reason);
        }

        if (_fetchesQueued > 0)
        {
            HubSpotEnrichmentTelemetry.Count("queued", _fetchesQueued);
        }
    }

    private static void RecordMetrics(IReadOnlyList<IngestRequest> batch, IngestResult[] results)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var source = new KeyValuePair<string, object?>("source", batch[i].SourceId);
            if (results[i].Accepted > 0)
            {
                LeadHandoffTelemetry.EventsReceived.Add(results[i].Accepted, source, new("outcome", "accepted"));
            }

            if (results[i].Duplicates > 0)
            {
                LeadHandoffTelemetry.EventsReceived.Add(results[i].Duplicates, source, new("outcome", "duplicate"));
            }
        }
    }
}
