using System.Text;
using LeadHandoff.Adapters.Delivery;
using LeadHandoff.Adapters.GenericHttp;
using LeadHandoff.Adapters.HubSpot;
using LeadHandoff.Adapters.Salesforce;
using LeadHandoff.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace LeadHandoff.Adapters.DeadLetters;

internal sealed record DeadLetterQueue(string Adapter, string Queue, string ErrorQueue, uint Count);

/// The message id is the handoff id (the API publishes it so).
internal sealed record DeadLetter(string? HandoffId, string? Reason, string? FaultedAt);

internal sealed record Redriven(string Queue, int Count);

/// Lists and re-drives the handoffs each adapter gave up on. MassTransit moves them to <c>{queue}_error</c> with the
/// fault in headers; re-driving puts them back on the adapter's own queue (the other adapters are not bothered), and
/// since every adapter upserts, a handoff that did land meanwhile is only updated.
public static class DeadLetterEndpoints
{
    public static IEndpointRouteBuilder MapDeadLetters(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/v1/dead-letters").WithTags("Dead letters");
        group.MapGet("/", ListAsync).WithName("ListDeadLetterQueues").WithSummary("Dead-lettered handoffs per adapter queue");
        group.MapGet("/{adapter}", PeekAsync).WithName("PeekDeadLetters").WithSummary("The dead-lettered handoffs of one adapter, with their fault reasons");
        group.MapPost("/{adapter}/redrive", RedriveAsync).WithName("RedriveDeadLetters").WithSummary("Move dead-lettered handoffs back to the adapter's queue");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<DeadLetterQueue>>, ProblemHttpResult>> ListAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (Broker(services) is not { } broker)
        {
            return NotOnRabbitMq();
        }

        await using var connection = await broker.CreateConnectionAsync(cancellationToken);
        var queues = new List<DeadLetterQueue>();
        foreach (var (adapter, queue) in Queues(services))
        {
            queues.Add(new DeadLetterQueue(adapter, queue, queue + "_error", await CountAsync(connection, queue + "_error", cancellationToken)));
        }

        return TypedResults.Ok<IReadOnlyList<DeadLetterQueue>>(queues);
    }

    private static async Task<Results<Ok<IReadOnlyList<DeadLetter>>, ProblemHttpResult>> PeekAsync(
        string adapter, int? limit, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (Broker(services) is not { } broker)
        {
            return NotOnRabbitMq();
        }

        if (QueueOf(services, adapter) is not { } queue)
        {
            return UnknownAdapter(adapter);
        }

        await using var connection = await broker.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var letters = new List<DeadLetter>();
        try
        {
            // Taken without acknowledgement and handed back when the channel closes: a look, not a removal.
            while (letters.Count < Math.Clamp(limit ?? 50, 1, 500)
                && await channel.BasicGetAsync(queue + "_error", autoAck: false, cancellationToken) is { } message)
            {
                letters.Add(new DeadLetter(
                    message.BasicProperties.MessageId,
                    Header(message.BasicProperties, "MT-Fault-Message"),
                    Header(message.BasicProperties, "MT-Fault-Timestamp")));
            }
        }
        catch (OperationInterruptedException)
        {
            // The error queue does not exist yet: nothing was ever dead-lettered.
        }

        return TypedResults.Ok<IReadOnlyList<DeadLetter>>(letters);
    }

    private static async Task<Results<Ok<Redriven>, ProblemHttpResult>> RedriveAsync(
        string adapter, int? limit, IServiceProvider services, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (Broker(services) is not { } broker)
        {
            return NotOnRabbitMq();
        }

        if (QueueOf(services, adapter) is not { } queue)
        {
            return UnknownAdapter(adapter);
        }

        var errorQueue = queue + "_error";
        await using var connection = await broker.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        var moved = 0;
        try
        {
            while (moved < Math.Clamp(limit ?? 1000, 1, 100_000)
                && await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken) is { } message)
            {
                var properties = new BasicProperties(message.BasicProperties);
                if (message.BasicProperties.Headers is { } headers)
                {
                    // The previous fault's headers go; a new fault writes its own.
                    properties.Headers = headers
                        .Where(h => !h.Key.StartsWith("MT-Fault-", StringComparison.Ordinal) && h.Key != "MT-Reason")
                        .ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);
                }

                // Back on the adapter's queue through the default exchange; acknowledged only once the broker
                // confirmed the copy, so a crash in between duplicates a handoff (harmless: upserts) but never loses one.
                await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, message.Body, cancellationToken);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                moved++;
            }
        }
        catch (OperationInterruptedException)
        {
            // The error queue does not exist yet: nothing to re-drive.
        }

        loggers.CreateLogger(typeof(DeadLetterEndpoints)).Redriven(moved, errorQueue, queue);
        CrmTelemetry.Deliveries.Add(moved, CrmTelemetry.Tags(adapter, "redriven"));
        return TypedResults.Ok(new Redriven(queue, moved));
    }

    private static async Task<uint> CountAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A passive declare of a missing queue closes its channel, so each count gets a channel of its own.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0;
        }
    }

    private static ConnectionFactory? Broker(IServiceProvider services)
    {
        var bus = services.GetRequiredService<IOptions<BusOptions>>().Value;
        return bus.Transport == BusTransport.RabbitMq ? new ConnectionFactory { Uri = new Uri(bus.RabbitMqConnectionString!) } : null;
    }

    private static IEnumerable<(string Adapter, string Queue)> Queues(IServiceProvider services)
    {
        foreach (var (adapter, options) in new (string, CrmAdapterOptions?)[]
                 {
                     ("generic-http", services.GetService<IOptions<GenericHttpOptions>>()?.Value),
                     (HubSpotClient.Crm, services.GetService<IOptions<HubSpotOptions>>()?.Value),
                     (SalesforceClient.Crm, services.GetService<IOptions<SalesforceOptions>>()?.Value),
                 })
        {
            if (options is { Enabled: true })
            {
                yield return (adapter, options.QueueName);
            }
        }
    }

    private static string? QueueOf(IServiceProvider services, string adapter) =>
        Queues(services).Where(q => string.Equals(q.Adapter, adapter, StringComparison.Ordinal)).Select(q => q.Queue).FirstOrDefault();

    private static string? Header(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers?.TryGetValue(name, out var value) == true
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                null => null,
                _ => value.ToString(),
            }
            : null;

    private static ProblemHttpResult NotOnRabbitMq() => TypedResults.Problem(
        "Dead letters are kept on RabbitMQ; the in-memory transport keeps none across restarts. Use POST /v1/handoffs/{id}/replay on the API instead.",
        statusCode: StatusCodes.Status409Conflict,
        type: "urn:leadhandoff:problem:not-on-rabbitmq");

    private static ProblemHttpResult UnknownAdapter(string adapter) => TypedResults.Problem(
        $"No enabled adapter is named '{adapter}' (generic-http, hubspot, salesforce).",
        statusCode: StatusCodes.Status404NotFound,
        type: "urn:leadhandoff:problem:not-found");
}
