using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LeadHandoff.Api.Errors;
using LeadHandoff.Api.Handoffs;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Json;
using LeadHandoff.Api.Outbox;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Telemetry;
using LeadHandoff.Domain.Leads;
using LeadHandoff.Domain.Qualification;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Policy;

/// <param name="From">Leads created at or after this instant.</param>
/// <param name="To">Leads created before this instant.</param>
/// <param name="DryRun">True (the default) reports what would change and writes nothing.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page, to resume.</param>
/// <param name="Limit">Leads per page (1–2000, default 500).</param>
internal sealed record ReevaluateRequest(DateTimeOffset? From, DateTimeOffset? To, bool? DryRun, string? Cursor, int? Limit);

internal sealed record ReevaluationChange(Guid LeadId, string StageBefore, string Stage, string? OutcomeBefore, string Outcome, IReadOnlyList<string> DecidingRules);

internal sealed record ReevaluationPage(
    string PolicyVersion,
    bool DryRun,
    int Scanned,
    int Changed,
    IReadOnlyDictionary<string, int> Transitions,
    IReadOnlyList<ReevaluationChange> Changes,
    string? NextCursor);

/// A policy change never re-qualifies stored leads by itself: an operator runs this, first as a dry run, page by
/// page over a creation-time range. Evaluated are the leads marketing still owns (lead, nurture) — the same rule as
/// ingestion — and the leads marketing's own policy disqualified (a blacklist entry that was wrong, a domain now on
/// the allow-list), which ingestion never reconsiders. A lead sales has, or rejected, or gave up on (its current
/// cycle has a handoff) is never pulled back, and a record merged into another lead is never evaluated.
internal static class PolicyReevaluation
{
    private const int DefaultLimit = 500;
    private const int MaxLimit = 2000;
    private static readonly string[] MarketingStages = [LeadStages.Name(LeadStage.Lead), LeadStages.Name(LeadStage.Nurture)];
    private static readonly string DisqualifiedStage = LeadStages.Name(LeadStage.Disqualified);
    private static readonly string PolicyDisqualified = DecisionOutcome.Disqualified.ToString().ToLowerInvariant();

    private const string ConcurrentUpdate = "urn:leadhandoff:problem:concurrent-update";

    public static async Task<Results<Ok<ReevaluationPage>, ValidationProblem, ProblemHttpResult>> ReevaluateAsync(
        ReevaluateRequest request,
        PolicyProvider policies,
        LeadHandoffDbContext db,
        StorageWriteGate writeGate,
        OutboxSignal outboxSignal,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.From is null)
        {
            errors["from"] = ["Required (leads created at or after)."];
        }

        if (request.To is null)
        {
            errors["to"] = ["Required (leads created before)."];
        }
        else if (request.From is { } f && request.To <= f)
        {
            errors["to"] = ["Must be after from."];
        }

        var limit = request.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Must be between 1 and {MaxLimit}."];
        }

        var cursor = (Time: DateTime.MinValue, Skip: 0);
        if (request.Cursor is { } text && !TryParseCursor(text, out cursor))
        {
            errors["cursor"] = ["Not a cursor returned by this endpoint."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Nothing was re-evaluated.");
        }

        var dryRun = request.DryRun ?? true;
        var policy = policies.Current;
        var now = time.GetUtcNow();
        using var activity = LeadHandoffTelemetry.Source.StartActivity("policy reevaluate");
        activity?.SetTag("leadhandoff.policy.version", policy.Version);
        activity?.SetTag("leadhandoff.reevaluation.dry_run", dryRun);

        var from = request.From!.Value.UtcDateTime;
        var to = request.To!.Value.UtcDateTime;
        var resumed = request.Cursor is not null && cursor.Time >= from;
        var start = resumed ? cursor.Time : from;
        var skip = resumed ? cursor.Skip : 0;

        // Leads of one creation instant are ordered by id and the cursor counts how many of them were done, so a
        // page boundary inside a burst of same-instant leads loses none and repeats none.
        var query = db.Leads.Include(l => l.ExternalIds)
            .Where(l => l.CreatedAt >= start && l.CreatedAt < to && l.MergedIntoId == null)
            .Where(l => MarketingStages.Contains(l.Stage)
                || (l.Stage == DisqualifiedStage && !db.Handoffs.Any(h => h.LeadId == l.Id && h.Cycle == l.Cycle)))
            .OrderBy(l => l.CreatedAt).ThenBy(l => l.Id)
            .Skip(skip).Take(limit + 1);
        var records = dryRun ? await query.AsNoTracking().ToListAsync(cancellationToken) : await query.ToListAsync(cancellationToken);
        var page = records.Take(limit).ToList();

        var transitions = new Dictionary<string, int>(StringComparer.Ordinal);
        var changes = new List<ReevaluationChange>();
        var outcomes = new List<string>();
        var handoffSources = new List<string>();
        var left = new HashSet<Guid>();
        foreach (var record in page)
        {
            var lead = LeadState.Existing(record);
            var stageBefore = lead.Stage;
            // Only the policy's own verdict is reconsidered: a lead sales rejected or gave up on keeps the decision
            // that handed it over, even when a merge left its handoff under another record's id.
            if (stageBefore == LeadStage.Disqualified && lead.LastDecision?.Outcome != PolicyDisqualified)
            {
                continue;
            }

            var step = QualificationStep.Next(policy, EvaluatedAs(stageBefore, record.Cycle), new LeadFacts(lead.Profile, lead.Stats, now) { LeadId = record.Id });
            var decision = step.Decision!;
            var outcome = decision.Outcome.ToString().ToLowerInvariant();
            var outcomeBefore = lead.LastDecision?.Outcome;
            if (step.Stage == stageBefore && outcome == outcomeBefore)
            {
                continue;
            }

            var transition = $"{LeadStages.Name(stageBefore)}→{LeadStages.Name(step.Stage)}";
            transitions[transition] = transitions.GetValueOrDefault(transition) + 1;
            changes.Add(new ReevaluationChange(
                record.Id,
                LeadStages.Name(stageBefore),
                LeadStages.Name(step.Stage),
                outcomeBefore,
                outcome,
                decision.Rules.Where(r => decision is Qualified ? r.Matched : decision is Disqualified || !r.Matched).Select(r => r.RuleId).ToList()));
            if (!dryRun)
            {
                outcomes.Add(outcome);
                if (Apply(db, lead, step, decision, outcome, policy, now) is { } source)
                {
                    handoffSources.Add(source);
                    left.Add(record.Id);
                }
            }
        }

        if (!dryRun && changes.Count > 0)
        {
            try
            {
                using (await writeGate.EnterAsync(cancellationToken))
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
            }
            catch (Exception ex) when (StorageErrors.IsConflict(ex))
            {
                // An event for one of the page's leads was ingested meanwhile: nothing of the page was written, and
                // running it again re-reads the leads.
                return Problems.Problem(
                    StatusCodes.Status409Conflict, ConcurrentUpdate, "A lead of this page changed meanwhile; nothing was written.", "Run the same page (same cursor) again.");
            }

            foreach (var outcome in outcomes)
            {
                LeadHandoffTelemetry.Decisions.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
            }

            foreach (var source in handoffSources)
            {
                HandoffWrites.Count(source);
            }

            if (handoffSources.Count > 0)
            {
                outboxSignal.Notify();
            }
        }

        string? next = null;
        if (records.Count > limit)
        {
            var last = page[^1].CreatedAt;
            // Applied leads that were handed off no longer match the query: the next page must not skip them.
            var sameInstant = page.Count(l => l.CreatedAt == last && !left.Contains(l.Id));
            next = FormatCursor(last, last == start ? skip + sameInstant : sameInstant);
        }

        activity?.SetTag("leadhandoff.reevaluation.scanned", page.Count);
        activity?.SetTag("leadhandoff.reevaluation.changed", changes.Count);
        foreach (var (transition, count) in transitions)
        {
            LeadHandoffTelemetry.Reevaluations.Add(count, new("transition", transition), new("mode", dryRun ? "dryRun" : "apply"));
        }

        loggers.CreateLogger(typeof(PolicyReevaluation)).Reevaluated(policy.Version, dryRun, page.Count, changes.Count);
        return TypedResults.Ok(new ReevaluationPage(policy.Version, dryRun, page.Count, changes.Count, transitions, changes, next));
    }

    /// The handoff's source when the lead was handed off.
    private static string? Apply(LeadHandoffDbContext db, LeadState lead, QualificationStep step, Decision decision, string outcome, QualificationPolicy policy, DateTimeOffset now)
    {
        var rules = decision.Rules.Select(r => new StoredVerdict(r.RuleId, r.Description, r.Matched, r.Observed)).ToList();
        lead.LastDecision = new StoredDecision(outcome, decision.PolicyVersion, rules, now)
        {
            Scores = new StoredScores(decision.Scores.Fit, decision.Scores.Engagement, decision.Scores.Grade),
        };
        db.Decisions.Add(new DecisionRecord
        {
            LeadId = lead.Record.Id,
            Outcome = outcome,
            PolicyVersion = decision.PolicyVersion,
            RulesJson = JsonSerializer.Serialize<IReadOnlyList<StoredVerdict>>(rules, StorageJson.Default.IReadOnlyListStoredVerdict),
            EventDedupKey = "reevaluation:" + decision.PolicyVersion,
            DecidedAt = now.UtcDateTime,
        });
        lead.Stage = step.Stage;
        lead.WriteBack(now.UtcDateTime);
        if (!step.HandOff)
        {
            return null;
        }

        // The same handoff ingestion writes, attributed to the lead's first-touch source since no event triggered it.
        var source = lead.Stats.FirstTouch?.Source ?? "reevaluation";
        HandoffWrites.Add(db, lead, decision, policy.Sla, source, now, Activity.Current?.Context ?? default);
        return source;
    }

    /// A lead the policy disqualified is evaluated as it was before: new in its first cycle, recycled (and so held
    /// to the re-qualification rules) after that.
    private static LeadStage EvaluatedAs(LeadStage stage, int cycle) => stage switch
    {
        LeadStage.Disqualified => cycle > 0 ? LeadStage.Nurture : LeadStage.Lead,
        _ => stage,
    };

    private static string FormatCursor(DateTime at, int skip) =>
        string.Create(CultureInfo.InvariantCulture, $"{at.Ticks}.{skip}");

    private static bool TryParseCursor(string text, out (DateTime Time, int Skip) cursor)
    {
        cursor = default;
        var parts = text.Split('.');
        if (parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks is >= 0 and <= 3_155_378_975_999_999_999
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var skip))
        {
            cursor = (new DateTime(ticks, DateTimeKind.Utc), skip);
            return true;
        }

        return false;
    }
}
