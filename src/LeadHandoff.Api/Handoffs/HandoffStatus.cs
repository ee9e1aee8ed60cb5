namespace LeadHandoff.Api.Handoffs;

/// Handoff statuses as they appear in the API (DESIGN.md).
internal static class HandoffStatus
{
    public const string Pending = "pending";
    public const string Published = "published";
    public const string Delivered = "delivered";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Contacted = "contacted";
    public const string Opportunity = "opportunity";
    public const string Won = "won";
    public const string Lost = "lost";
    public const string Recycled = "recycled";
    public const string Breached = "breached";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Pending, Published, Delivered, Accepted, Rejected, Contacted, Opportunity, Won, Lost, Recycled, Breached,
    };
}
