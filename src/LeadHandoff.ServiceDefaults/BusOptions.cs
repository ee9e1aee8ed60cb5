using System.ComponentModel.DataAnnotations;

namespace LeadHandoff.ServiceDefaults;

public enum BusTransport
{
    InMemory,
    RabbitMq,
}

public sealed class BusOptions
{
    public const string SectionName = "LeadHandoff:Bus";

    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    /// From <c>ConnectionStrings:RabbitMq</c>; required when <see cref="Transport"/> is RabbitMq.
    public string? RabbitMqConnectionString { get; set; }

    /// How many messages a consumer endpoint fetches ahead.
    [Range(1, 10_000)]
    public int PrefetchCount { get; set; } = 32;
}
