using System.Diagnostics;
using LeadHandoff.Api.Outbox;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Policy;
using LeadHandoff.Api.Telemetry;
using V1 = LeadHandoff.Contracts.V1;
using LeadHandoff.Domain.Sla;
using LeadHandoff.Domain.Stages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadHandoff.Api.Sla;

/// Watches open handoffs against their deadlines: raises the at-risk ladder's warnings, each deadline's breach, and
/// applies the give-up rule. Each handoff carries the instant it must be looked at next, so a round reads only the
/// due ones (an indexed range), and a restart misses nothing: what fell due while no replica ran is due at once.
/// Several replicas share the work by claiming handoffs with one atomic UPDATE; the unique (handoff, deadline,
/// kind) row of each alert is the last word on "at most once", and it commits with its outbox row.
internal sealed class SlaMonitor(
    IServiceScopeFactory scopes,
    PolicyProvider policies,
    StorageWriteGate writeGate,
    OutboxSignal signal,
    TimeProvider time,
    IOptions<SlaMonitorOptions> options,
    ILogger<SlaMonitor> logger) : BackgroundService
{
    private static readonly DateTime NothingToWatch = new(9999, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var examined = 0;
            try
            {
                examined = await RunOnceAsync(settings, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.MonitorRoundFailed(ex);
            }

            if (examined < settings.BatchSize)
            {
                try
                {
                    await Task.Delay(settings.Interval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    internal async Task<int> RunOnceAsync(SlaMonitorOptions settings, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = LeadHandoffTelemetry.Source.StartActivity("sla monitor round");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadHandoffDbContext>();
        var now = time.GetUtcNow();
        var nowUtc = now.UtcDateTime;
        var token = Guid.NewGuid();
        var leaseEnd = nowUtc + settings.ClaimLease;

        var candidates = db.Handoffs
            .Where(h => h.ClosedAt == null && (h.SlaCheckAt == null || h.SlaCheckAt <= nowUtc))
            .OrderBy(h => h.Seq)
            .Select(h => h.Seq)
            .Take(settings.BatchSize);
        int claimed;
        using (await writeGate.EnterAsync(cancellationToken))
        {
            // The outer conditions repeat the inner ones so that a concurrent claimer's UPDATE, re-checked by the
            // database after it waited on the row lock, skips handoffs another replica claimed first.
            claimed = await db.Handoffs
                .Where(h => candidates.Contains(h.Seq) && h.ClosedAt == null && (h.SlaCheckAt == null || h.SlaCheckAt <= nowUtc))
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.SlaClaimToken, token).SetProperty(h => h.SlaCheckAt, leaseEnd), cancellationToken);
        }

        activity?.SetTag("leadhandoff.sla.claimed", claimed);
        if (claimed == 0)
        {
            return 0;
        }

        var rows = await db.Handoffs.AsNoTracking()
            .Where(h => h.SlaClaimToken == token)
            .Select(h => new ClaimedHandoff(h.Id, h.LeadId, h.CreatedAt, h.AcceptBy, h.FirstContactBy, h.SalesState, h.ContactAttempts, h.PolicyVersion))
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var raised = (await db.SlaAlerts.AsNoTracking()
                .Where(a => ids.Contains(a.HandoffId))
                .Select(a => new { a.HandoffId, a.Deadline, a.Kind })
                .ToListAsync(cancellationToken))
            .Select(a => (a.HandoffId, a.Deadline, a.Kind))
            .ToHashSet();

        var terms = policies.Current.Sla;
        var traceParent = TraceParents.Format(Activity.Current?.Context ?? default);
        using (await writeGate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var outboxed = 0;
            foreach (var row in rows)
            {
                outboxed += await ExamineAsync(db, terms, row, raised, token, now, traceParent, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (outboxed > 0)
            {
                signal.Notify();
            }
        }

        SlaTelemetry.MonitorRound.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return claimed;
    }

    private async Task<int> ExamineAsync(
        LeadHandoffDbContext db,
        SlaTerms terms,
        ClaimedHandoff row,
        HashSet<(Guid, string, string)> raised,
        Guid token,
        DateTimeOffset now,
        string? traceParent,
        CancellationToken cancellationToken)
    {
        var nowUtc = now.UtcDateTime;
        var progress = new HandoffProgress(HandoffSteps.ParseState(row.SalesState), row.ContactAttempts);
        var createdAt = new DateTimeOffset(row.CreatedAt, TimeSpan.Zero);
        var deadlines = new SlaDeadlines(new DateTimeOffset(row.AcceptBy, TimeSpan.Zero), new DateTimeOffset(row.FirstContactBy, TimeSpan.Zero));
        var check = SlaWatch.Check(terms, progress, createdAt, deadlines, now);
        var giveUp = check.GiveUp ? StageMachine.GiveUp(progress, terms.GiveUp) : null;
        var state = row.SalesState;
        var attempts = row.ContactAttempts;
        // Null means "new, look at once" to the claim query; an open handoff with nothing left to watch (contacted,
        // in negotiation) is parked instead, until sales' next step sets a check time again.
        DateTime? next = check.NextCheckAt?.UtcDateTime ?? NothingToWatch;

        // Only while our claim holds and sales has not moved the handoff meanwhile; otherwise the next round looks
        // at it again with the new state, and nothing of this one is written.
        int updated;
        if (giveUp is null)
        {
            updated = await db.Handoffs
                .Where(h => h.Id == row.Id && h.SlaClaimToken == token && h.SalesState == state && h.ContactAttempts == attempts)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.SlaCheckAt, next).SetProperty(h => h.SlaClaimToken, (Guid?)null), cancellationToken);
        }
        else
        {
            var closed = HandoffStates.Name(giveUp.Progress.State);
            var status = HandoffSteps.Status(giveUp.Progress.State, string.Empty);
            updated = await db.Handoffs
                .Where(h => h.Id == row.Id && h.SlaClaimToken == token && h.SalesState == state && h.ContactAttempts == attempts)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(h => h.SlaCheckAt, (DateTime?)null)
                        .SetProperty(h => h.SlaClaimToken, (Guid?)null)
                        .SetProperty(h => h.SalesState, closed)
                        .SetProperty(h => h.Status, status)
                        .SetProperty(h => h.ClosedAt, nowUtc)
                        .SetProperty(h => h.UpdatedAt, nowUtc),
                    cancellationToken);
        }

        if (updated == 0)
        {
            return 0;
        }

        var outboxed = 0;
        foreach (var alert in check.Due)
        {
            var deadline = SlaWatch.Name(alert.Deadline);
            if (!raised.Add((row.Id, deadline, alert.Kind)))
            {
                continue;
            }

            db.SlaAlerts.Add(new SlaAlertRecord { HandoffId = row.Id, Deadline = deadline, Kind = alert.Kind, DueAt = alert.DueAt.UtcDateTime, RaisedAt = nowUtc });
            var messageId = SlaMessages.IdOf("sla", row.Id.ToString(), deadline, alert.Kind);
            db.OutboxMessages.Add(alert.Kind == SlaWatch.Breach
                ? SlaMessages.Outbox(new V1.SlaBreached(row.Id, deadline, alert.DueAt, now - alert.DueAt, "sales"), SlaMessages.SlaBreachedType, messageId, nowUtc, traceParent)
                : SlaMessages.Outbox(
                    new V1.SlaAtRisk(row.Id, deadline, alert.Kind, alert.DueAt, terms.AtRisk.FirstOrDefault(s => s.Level == alert.Kind)?.Fraction ?? 0m, "sales", alert.At),
                    SlaMessages.SlaAtRiskType,
                    messageId,
                    nowUtc,
                    traceParent));
            outboxed++;
            SlaTelemetry.Alerts.Add(1, new("deadline", deadline), new("kind", alert.Kind));
            logger.AlertRaised(alert.Kind, row.Id, deadline, alert.DueAt);
        }

        if (giveUp is not null)
        {
            var reason = row.ContactAttempts >= terms.MaxAttempts ? "maxAttemptsReached" : "attemptWindowElapsed";
            await HandoffSteps.RecordAsync(db, row.LeadId, row.Id, giveUp, "giveUp", reason, null, nowUtc, cancellationToken);
            db.OutboxMessages.Add(terms.GiveUp == GiveUpAction.Recycle
                ? SlaMessages.Outbox(new V1.LeadRecycled(row.LeadId, row.Id, reason, now), SlaMessages.LeadRecycledType, SlaMessages.IdOf("recycled", row.Id.ToString()), nowUtc, traceParent)
                : SlaMessages.Outbox(new V1.LeadDisqualified(row.LeadId, row.PolicyVersion, [reason], now), SlaMessages.LeadDisqualifiedType, SlaMessages.IdOf("disqualified", row.Id.ToString()), nowUtc, traceParent));
            outboxed++;
            var action = terms.GiveUp == GiveUpAction.Recycle ? "recycled" : "disqualified";
            SlaTelemetry.GiveUps.Add(1, new KeyValuePair<string, object?>("action", action));
            logger.GaveUp(row.Id, row.ContactAttempts, row.LeadId, action);
        }

        return outboxed;
    }

    private sealed record ClaimedHandoff(
        Guid Id,
        Guid LeadId,
        DateTime CreatedAt,
        DateTime AcceptBy,
        DateTime FirstContactBy,
        string SalesState,
        int ContactAttempts,
        string PolicyVersion);
}
