using System.Diagnostics.CodeAnalysis;

namespace LeadHandoff.IntegrationTests.Infrastructure;

/// <summary>
/// One RabbitMQ broker and one PostgreSQL server shared by every test class in <see cref="InfrastructureCollection"/>.
/// If either cannot be provided, every test in the collection fails with the reason.
/// </summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    private RabbitMqServer? _rabbitMq;
    private PostgresServer? _postgres;

    public RabbitMqServer RabbitMq =>
        _rabbitMq ?? throw new InvalidOperationException("The infrastructure fixture has not been initialized.");

    public PostgresServer Postgres =>
        _postgres ?? throw new InvalidOperationException("The infrastructure fixture has not been initialized.");

    public async Task InitializeAsync()
    {
        // Started together: the broker's boot dominates, and PostgreSQL comes up in its shadow.
        var rabbitMq = RabbitMqServer.StartNewAsync();
        var postgres = PostgresServer.StartNewAsync();
        try
        {
            await Task.WhenAll(rabbitMq, postgres).ConfigureAwait(false);
        }
        catch
        {
            // The fields stay null on failure, so whichever server did start is disposed here.
            if (rabbitMq.IsCompletedSuccessfully)
            {
                await rabbitMq.Result.DisposeAsync().ConfigureAwait(false);
            }

            if (postgres.IsCompletedSuccessfully)
            {
                await postgres.Result.DisposeAsync().ConfigureAwait(false);
            }

            var failures = new[] { rabbitMq.Exception, postgres.Exception }
                .OfType<AggregateException>()
                .SelectMany(aggregate => aggregate.InnerExceptions)
                .ToList();
            if (failures.Count > 1)
            {
                throw new AggregateException("Neither RabbitMQ nor PostgreSQL could be started.", failures);
            }

            throw;
        }

        _rabbitMq = rabbitMq.Result;
        _postgres = postgres.Result;
    }

    public async Task DisposeAsync()
    {
        var disposals = new List<Task>();
        if (_rabbitMq is not null)
        {
            disposals.Add(_rabbitMq.DisposeAsync().AsTask());
        }

        if (_postgres is not null)
        {
            disposals.Add(_postgres.DisposeAsync().AsTask());
        }

        await Task.WhenAll(disposals).ConfigureAwait(false);
    }
}

[CollectionDefinition(InfrastructureCollection.Name)]
[SuppressMessage("Naming", "CA1711", Justification = "xunit collection definitions are named after the collection.")]
public sealed class InfrastructureCollection : ICollectionFixture<InfrastructureFixture>
{
    public const string Name = "infrastructure";
}
