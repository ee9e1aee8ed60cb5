using LeadHandoff.Domain.Leads;

namespace LeadHandoff.Domain.Events;

/// One normalized event, whatever platform it came from.
/// <param name="EventId">The platform's id for the event; with the source id it makes the idempotency key.</param>
public sealed record LeadEvent(
    string EventId,
    EventType Type,
    DateTimeOffset OccurredAt,
    ContactData Contact,
    InteractionData? Interaction);

/// What the lead touched, if the event is an interaction.
public sealed record InteractionData(
    string? Channel,
    string? Name,
    string? Url,
    string? Campaign,
    IReadOnlyList<string> Topics);
