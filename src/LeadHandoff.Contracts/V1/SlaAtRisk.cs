namespace LeadHandoff.Contracts.V1;

/// <summary>A deadline of the agreement is getting close without the required feedback: a rung of the escalation
/// ladder (e.g. a reminder at half the allowed time, an escalation at 90 %).</summary>
/// <param name="HandoffId">The handoff concerned.</param>
/// <param name="Deadline">Which deadline: <c>accept</c> or <c>firstContact</c>.</param>
/// <param name="Level">The ladder's level, as named in the policy (e.g. <c>reminder</c>, <c>escalation</c>).</param>
/// <param name="DueAt">When the deadline falls.</param>
/// <param name="Elapsed">Share of the allowed business time already used, in (0, 1).</param>
/// <param name="Owner">Who owns the pending step (<c>sales</c>).</param>
/// <param name="At">When the warning became due.</param>
public sealed record SlaAtRisk(Guid HandoffId, string Deadline, string Level, DateTimeOffset DueAt, decimal Elapsed, string Owner, DateTimeOffset At);
