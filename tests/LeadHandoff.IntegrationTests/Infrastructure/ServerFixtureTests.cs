using System.Net.Sockets;
using System.Text;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace LeadHandoff.IntegrationTests.Infrastructure;

/// <summary>Proves the fixtures hand out real, restartable servers before other tests rely on them.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class ServerFixtureTests(InfrastructureFixture fixture)
{
    [Fact]
    public async Task RabbitMq_MessagePublishedToQueue_IsFetchedBack()
    {
        var queue = UniqueName("fixture-roundtrip");
        await using var connection = await NewRabbitMqFactory().CreateConnectionAsync();
        await using var channel = await OpenConfirmingChannelAsync(connection);
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);

        await channel.BasicPublishAsync(exchange: "", routingKey: queue, body: Encoding.UTF8.GetBytes("hello"));
        var fetched = await channel.BasicGetAsync(queue, autoAck: true);

        Assert.NotNull(fetched);
        Assert.Equal("hello", Encoding.UTF8.GetString(fetched.Body.Span));
        await channel.QueueDeleteAsync(queue);
    }

    [Fact]
    public async Task RabbitMq_StoppedThenStarted_RefusesConnectionsWhileDownAndKeepsDurableMessages()
    {
        var queue = UniqueName("fixture-restart");
        var factory = NewRabbitMqFactory();
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await OpenConfirmingChannelAsync(connection))
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            await channel.BasicPublishAsync(
                exchange: "",
                routingKey: queue,
                mandatory: true,
                basicProperties: new BasicProperties { Persistent = true },
                body: Encoding.UTF8.GetBytes("before"));
        }

        await fixture.RabbitMq.StopAsync();
        try
        {
            var refused = await Assert.ThrowsAsync<BrokerUnreachableException>(
                () => factory.CreateConnectionAsync());
            Assert.True(IsConnectionRefused(refused), $"Expected connection refused, got: {refused}");
        }
        finally
        {
            await fixture.RabbitMq.StartAsync();
        }

        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await OpenConfirmingChannelAsync(connection))
        {
            var survivor = await channel.BasicGetAsync(queue, autoAck: true);
            Assert.NotNull(survivor);
            Assert.Equal("before", Encoding.UTF8.GetString(survivor.Body.Span));

            await channel.BasicPublishAsync(exchange: "", routingKey: queue, body: Encoding.UTF8.GetBytes("after"));
            var fetched = await channel.BasicGetAsync(queue, autoAck: true);
            Assert.NotNull(fetched);
            Assert.Equal("after", Encoding.UTF8.GetString(fetched.Body.Span));
            await channel.QueueDeleteAsync(queue);
        }
    }

    [Fact]
    public async Task Postgres_FreshDatabase_StoresAndReturnsRows()
    {
        var connectionString = await fixture.Postgres.CreateDatabaseAsync(UniqueDatabaseName("fixture_roundtrip"));
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        await ExecuteAsync(dataSource, "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)");
        await ExecuteAsync(dataSource, "INSERT INTO notes VALUES (1, 'hello')");

        Assert.Equal("hello", await ReadNoteAsync(dataSource));
    }

    [Fact]
    public async Task Postgres_StoppedThenStarted_RefusesConnectionsWhileDownAndKeepsData()
    {
        var connectionString = await fixture.Postgres.CreateDatabaseAsync(UniqueDatabaseName("fixture_restart"));
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await ExecuteAsync(dataSource, "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)");
            await ExecuteAsync(dataSource, "INSERT INTO notes VALUES (1, 'kept')");
        }

        await fixture.Postgres.StopAsync();
        try
        {
            var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
            await using var connection = new NpgsqlConnection(unpooled);
            var refused = await Assert.ThrowsAsync<NpgsqlException>(() => connection.OpenAsync());
            Assert.True(IsConnectionRefused(refused), $"Expected connection refused, got: {refused}");
        }
        finally
        {
            await fixture.Postgres.StartAsync();
        }

        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            Assert.Equal("kept", await ReadNoteAsync(dataSource));
        }
    }

    private ConnectionFactory NewRabbitMqFactory() => new()
    {
        Uri = fixture.RabbitMq.AmqpUri,
        AutomaticRecoveryEnabled = false,
        RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
    };

    // With confirmations on, BasicPublishAsync returns only once the broker has taken the message.
    private static Task<IChannel> OpenConfirmingChannelAsync(IConnection connection) =>
        connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ReadNoteAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT body FROM notes WHERE id = 1");
        return (string?)await command.ExecuteScalarAsync();
    }

    private static bool IsConnectionRefused(Exception exception) => exception switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsConnectionRefused),
        { InnerException: { } inner } => IsConnectionRefused(inner),
        _ => false,
    };

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static string UniqueDatabaseName(string prefix) => $"{prefix}_{Guid.NewGuid():N}";
}
