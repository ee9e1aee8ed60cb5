using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LeadHandoff.Api.Errors;
using LeadHandoff.Api.Json;
using LeadHandoff.Api.Outbox;
using LeadHandoff.Api.Telemetry;
using LeadHandoff.Api.Persistence;
using LeadHandoff.Contracts.V1;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LeadHandoff.Api.Handoffs;

internal sealed record HandoffView(
    Guid Id,
    Guid LeadId,
    string Status,
    string SourceId,
    string PolicyVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset AcceptBy,
    DateTimeOffset FirstContactBy,
    LeadHandoffRequested? Message,
    IReadOnlyList<HandoffDeliveryView>? Deliveries = null,
    HandoffSalesView? Sales = null);

internal sealed record ReplayAccepted(Guid HandoffId, long OutboxId, DateTimeOffset RequestedAt);

internal sealed record HandoffPage(IReadOnlyList<HandoffView> Items, string? NextCursor);

internal static class HandoffEndpoints
{
    public static IEndpointRouteBuilder MapHandoffs(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/handoffs").WithTags("Handoffs");
        group.MapGet("/", ListAsync).WithName("ListHandoffs").WithSummary("Handoffs, oldest first, filtered by status and creation time, paged by cursor");
        group.MapGet("/{handoffId:guid}", GetAsync).WithName("GetHandoff").WithSummary("One handoff with the message that was published");
        group.MapPost("/{handoffId:guid}/replay", ReplayAsync)
            .WithName("ReplayHandoff")
            .WithSummary("Re-publish a handoff (ops)")
            .WithDescription("Queues the handoff's message again through the outbox, with the same message id (the handoff id), so CRM adapters update rather than duplicate.");
        return app;
    }

    private static async Task<Results<Ok<HandoffPage>, ValidationProblem>> ListAsync(
        string? status, DateTimeOffset? since, string? cursor, int? limit, LeadHandoffDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !HandoffStatus.All.Contains(status))
        {
            errors["status"] = [$"'{status}' is not one of {string.Join(", ", HandoffStatus.All)}."];
        }

        long after = 0;
        if (cursor is not null && !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            errors["cursor"] = ["Not a cursor this endpoint returned."];
        }

        var size = limit ?? 50;
        if (size is < 1 or > 500)
        {
            errors["limit"] = ["Must be between 1 and 500."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var query = db.Handoffs.AsNoTracking().Where(h => h.Seq > after);
        if (status is not null)
        {
            query = query.Where(h => h.Status == status);
        }

        if (since is { } from)
        {
            var fromUtc = from.UtcDateTime;
            query = query.Where(h => h.CreatedAt >= fromUtc);
        }

        // The list leaves each handoff's message (a few KB of JSON) in the database; GET /{id} returns it.
        var rows = await query.OrderBy(h => h.Seq).Take(size + 1)
            .Select(h => new
            {
                h.Seq,
                View = new HandoffView(h.Id, h.LeadId, h.Status, h.SourceId, h.PolicyVersion, h.CreatedAt, h.PublishedAt, h.AcceptBy, h.FirstContactBy, null),
                Sales = new SalesColumns(h.SalesState, h.AcceptedAt, h.FirstContactAt, h.ContactAttempts, h.AcceptHours, h.FirstContactHours, h.ClosedAt),
            })
            .ToListAsync(cancellationToken);
        var next = rows.Count > size ? rows[size - 1].Seq.ToString(CultureInfo.InvariantCulture) : null;
        var page = rows.Take(size).ToList();
        var alerts = await SlaAlertView.ForAsync(db, page.Select(r => r.View.Id).ToList(), cancellationToken);
        return TypedResults.Ok(new HandoffPage(page.Select(r => r.View with { Sales = r.Sales.View(alerts[r.View.Id]) }).ToList(), next));
    }

    private static async Task<Results<Ok<HandoffView>, ProblemHttpResult>> GetAsync(
        Guid handoffId, LeadHandoffDbContext db, CancellationToken cancellationToken)
    {
        var handoff = await db.Handoffs.AsNoTracking().FirstOrDefaultAsync(h => h.Id == handoffId, cancellationToken);
        return handoff is null
            ? Problems.Problem(StatusCodes.Status404NotFound, Problems.NotFound, "Handoff not found.")
            : TypedResults.Ok(ToView(handoff) with
            {
                Deliveries = await HandoffDeliveryView.ForAsync(db, handoffId, cancellationToken),
                Sales = SalesColumns.Of(handoff).View((await SlaAlertView.ForAsync(db, [handoffId], cancellationToken))[handoffId]),
            });
    }

    private static async Task<Results<Accepted<ReplayAccepted>, ProblemHttpResult>> ReplayAsync(
        Guid handoffId, LeadHandoffDbContext db, TimeProvider time, OutboxSignal signal, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var handoff = await db.Handoffs.AsNoTracking()
            .Where(h => h.Id == handoffId)
            .Select(h => new { h.Payload })
            .FirstOrDefaultAsync(cancellationToken);
        if (handoff is null)
        {
            return Problems.Problem(StatusCodes.Status404NotFound, Problems.NotFound, "Handoff not found.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var row = new OutboxMessageRecord
        {
            MessageId = handoffId,
            MessageType = OutboxMessageTypes.LeadHandoffRequested,
            Payload = handoff.Payload,
            CreatedAt = now,
            AvailableAt = now,
            TraceParent = TraceParents.Format(Activity.Current?.Context ?? default),
        };
        db.OutboxMessages.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        LeadHandoffTelemetry.HandoffsReplayed.Add(1);
        loggers.CreateLogger(typeof(HandoffEndpoints)).HandoffReplayRequested(handoffId, row.Id);
        return TypedResults.Accepted((string?)null, new ReplayAccepted(handoffId, row.Id, now));
    }

    // The handoff row's sales columns, read alongside the rest of the row so the list needs no query per item.
    private sealed record SalesColumns(
        string State, DateTime? AcceptedAt, DateTime? FirstContactAt, int ContactAttempts, double? AcceptHours, double? FirstContactHours, DateTime? ClosedAt)
    {
        public static SalesColumns Of(HandoffRecord h) =>
            new(h.SalesState, h.AcceptedAt, h.FirstContactAt, h.ContactAttempts, h.AcceptHours, h.FirstContactHours, h.ClosedAt);

        public HandoffSalesView View(IEnumerable<SlaAlertView> alerts) => new(
            State,
            Utc(AcceptedAt),
            Utc(FirstContactAt),
            ContactAttempts,
            AcceptHours,
            FirstContactHours,
            Utc(ClosedAt),
            alerts.ToList());

        private static DateTimeOffset? Utc(DateTime? at) => at is { } value ? new DateTimeOffset(value, TimeSpan.Zero) : null;
    }

    private static HandoffView ToView(HandoffRecord h) => new(
        h.Id,
        h.LeadId,
        h.Status,
        h.SourceId,
        h.PolicyVersion,
        h.CreatedAt,
        h.PublishedAt,
        h.AcceptBy,
        h.FirstContactBy,
        JsonSerializer.Deserialize(h.Payload, StorageJson.Default.LeadHandoffRequested));
}
