using System.Diagnostics;
using LeadHandoff.Api.Ingestion;
using LeadHandoff.Api.Outbox;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Api.Policy;
using LeadHandoff.Api.Sla;
using LeadHandoff.Api.Telemetry;
using LeadHandoff.Contracts.V1;
using LeadHandoff.Domain.Leads;
using LeadHandoff.Domain.Stages;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Feedback;

/// One piece of sales feedback, from the HTTP endpoint or a CRM adapter's message.
internal sealed record FeedbackInput(Guid FeedbackId, Guid HandoffId, FeedbackType Type, DateTimeOffset At, string? Reason, string? By, string Channel);

internal abstract record FeedbackOutcome;

internal sealed record FeedbackApplied(Guid HandoffId, string Status, string Stage, bool Duplicate) : FeedbackOutcome;

internal sealed record FeedbackConflict(string Stage, string State, string Reason) : FeedbackOutcome;

internal sealed record FeedbackHandoffNotFound : FeedbackOutcome;

/// Feedback stamped before its handoff existed would corrupt the time-to-accept and time-to-contact figures.
internal sealed record FeedbackBeforeHandoff(DateTimeOffset HandoffCreatedAt) : FeedbackOutcome;

/// Loads the handoff, asks the stage machine, and saves its answer: the handoff's progress (by a conditional update,
/// so two concurrent feedbacks cannot both move from the same state), the feedback row (unique by its id, which is
/// what makes a replay harmless), the lead's stage and the transition, and for a recycle or a rejection the message
/// marketing's programs listen to, all in one transaction.
internal sealed class FeedbackProcessor(
    LeadHandoffDbContext db,
    PolicyProvider policies,
    StorageWriteGate writeGate,
    OutboxSignal signal,
    TimeProvider time,
    ILogger<FeedbackProcessor> logger)
{
    private const int MaxAttempts = 5;

    public async Task<FeedbackOutcome> ApplyAsync(FeedbackInput input, CancellationToken cancellationToken)
    {
        using var activity = LeadHandoffTelemetry.Source.StartActivity("feedback apply");
        activity?.SetTag("leadhandoff.handoff.id", input.HandoffId);
        activity?.SetTag("leadhandoff.feedback.type", FeedbackTypes.Name(input.Type));
        activity?.SetTag("leadhandoff.feedback.channel", input.Channel);
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await TryApplyAsync(input, cancellationToken);
            if (outcome is not null)
            {
                var name = outcome switch
                {
                    FeedbackApplied { Duplicate: true } => "duplicate",
                    FeedbackApplied => "applied",
                    FeedbackConflict => "conflict",
                    FeedbackBeforeHandoff => "invalid",
                    _ => "notFound",
                };
                activity?.SetTag("leadhandoff.feedback.outcome", name);
                SlaTelemetry.Feedback.Add(1, new("type", FeedbackTypes.Name(input.Type)), new("channel", input.Channel), new("outcome", name));
                return outcome;
            }

            if (attempt == MaxAttempts)
            {
                // Answered 503 (contention): the caller retries with the same feedback id.
                throw new DbUpdateConcurrencyException($"Handoff {input.HandoffId} kept changing while feedback {input.FeedbackId} was applied.");
            }

            await StorageErrors.BackoffAsync(attempt, cancellationToken);
        }
    }

    /// Null when a concurrent writer moved the handoff first; the caller tries again on the new state.
    private async Task<FeedbackOutcome?> TryApplyAsync(FeedbackInput input, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var handoff = await db.Handoffs.AsNoTracking()
            .Where(h => h.Id == input.HandoffId)
            .Select(h => new { h.LeadId, h.Status, h.SalesState, h.ContactAttempts, h.CreatedAt, h.PolicyVersion })
            .FirstOrDefaultAsync(cancellationToken);
        if (handoff is null)
        {
            return new FeedbackHandoffNotFound();
        }

        if (input.At.UtcDateTime < handoff.CreatedAt)
        {
            return new FeedbackBeforeHandoff(new DateTimeOffset(handoff.CreatedAt, TimeSpan.Zero));
        }

        var state = HandoffSteps.ParseState(handoff.SalesState);
        var seen = await db.SalesFeedback.AsNoTracking().AnyAsync(f => f.FeedbackId == input.FeedbackId, cancellationToken);
        if (seen)
        {
            return new FeedbackApplied(input.HandoffId, handoff.Status, LeadStages.Name(HandoffStates.Stage(state, policies.Current.Sla.GiveUp)), Duplicate: true);
        }

        var transition = StageMachine.Apply(new HandoffProgress(state, handoff.ContactAttempts), input.Type);
        if (transition is Refused refused)
        {
            logger.FeedbackRefused(input.FeedbackId, FeedbackTypes.Name(input.Type), input.HandoffId, LeadStages.Name(refused.Current), refused.Reason);
            return new FeedbackConflict(LeadStages.Name(refused.Current), HandoffStates.Name(refused.State), refused.Reason);
        }

        var moved = (Moved)transition;
        var terms = policies.Current.Sla;
        var now = time.GetUtcNow().UtcDateTime;
        var at = input.At.UtcDateTime;
        var next = moved.Progress;
        var status = HandoffSteps.Status(next.State, handoff.Status);
        var stateName = HandoffStates.Name(next.State);
        var fromState = handoff.SalesState;
        var fromAttempts = handoff.ContactAttempts;
        DateTime? acceptedAt = moved.Accepts ? at : null;
        double? acceptHours = moved.Accepts ? terms.Calendar.Between(handoff.CreatedAt, input.At).TotalHours : null;
        DateTime? contactAt = moved.FirstContact ? at : null;
        double? contactHours = moved.FirstContact ? terms.Calendar.Between(handoff.CreatedAt, input.At).TotalHours : null;
        DateTime? closedAt = next.IsClosed ? at : null;

        // An open handoff is looked at again by the monitor at once: its ladder and give-up rule depend on the step.
        DateTime? checkAt = next.IsClosed ? null : now;

        var type = FeedbackTypes.Name(input.Type);
        using var turn = await writeGate.EnterAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var updated = await db.Handoffs
                .Where(h => h.Id == input.HandoffId && h.SalesState == fromState && h.ContactAttempts == fromAttempts)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(h => h.SalesState, stateName)
                        .SetProperty(h => h.Status, status)
                        .SetProperty(h => h.ContactAttempts, next.Attempts)
                        .SetProperty(h => h.AcceptedAt, h => acceptedAt ?? h.AcceptedAt)
                        .SetProperty(h => h.AcceptHours, h => acceptHours ?? h.AcceptHours)
                        .SetProperty(h => h.FirstContactAt, h => contactAt ?? h.FirstContactAt)
                        .SetProperty(h => h.FirstContactHours, h => contactHours ?? h.FirstContactHours)
                        .SetProperty(h => h.ClosedAt, closedAt)
                        .SetProperty(h => h.SlaCheckAt, checkAt)
                        .SetProperty(h => h.UpdatedAt, now),
                    cancellationToken);
            if (updated == 0)
            {
                return null;
            }

            db.SalesFeedback.Add(new SalesFeedbackRecord
            {
                FeedbackId = input.FeedbackId,
                HandoffId = input.HandoffId,
                LeadId = handoff.LeadId,
                Type = type,
                At = at,
                Reason = input.Reason,
                By = input.By,
                Channel = input.Channel,
                ReceivedAt = now,
            });
            await HandoffSteps.RecordAsync(db, handoff.LeadId, input.HandoffId, moved, type, input.Reason, input.FeedbackId, at, cancellationToken);
            var traceParent = TraceParents.Format(Activity.Current?.Context ?? default);
            if (moved.To == LeadStage.Nurture)
            {
                db.OutboxMessages.Add(SlaMessages.Outbox(
                    new LeadRecycled(handoff.LeadId, input.HandoffId, input.Reason ?? type, input.At),
                    SlaMessages.LeadRecycledType,
                    SlaMessages.IdOf("recycled", input.HandoffId.ToString()),
                    now,
                    traceParent));
            }
            else if (moved.To == LeadStage.Disqualified)
            {
                db.OutboxMessages.Add(SlaMessages.Outbox(
                    new LeadDisqualified(handoff.LeadId, handoff.PolicyVersion, [input.Reason ?? type], input.At),
                    SlaMessages.LeadDisqualifiedType,
                    SlaMessages.IdOf("disqualified", input.HandoffId.ToString()),
                    now,
                    traceParent));
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (StorageErrors.IsConflict(ex))
        {
            // Most likely the same feedback id committed by a concurrent request first, or a deadlock with another
            // writer of this handoff; the next try sees the new state (a duplicate, or the step to build on).
            await transaction.RollbackAsync(CancellationToken.None);
            return null;
        }

        signal.Notify();
        logger.FeedbackApplied(input.FeedbackId, type, input.HandoffId, LeadStages.Name(moved.From), LeadStages.Name(moved.To));
        return new FeedbackApplied(input.HandoffId, status, LeadStages.Name(moved.To), Duplicate: false);
    }
}
