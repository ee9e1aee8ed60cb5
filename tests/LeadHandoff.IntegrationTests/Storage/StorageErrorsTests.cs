using LeadHandoff.Api.Persistence;
using LeadHandoff.IntegrationTests.Flows;
using LeadHandoff.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LeadHandoff.IntegrationTests.Storage;

/// How PostgreSQL's failures reach the code that decides between "redo the batch" and "answer 503": through EF Core,
/// with the shapes EF really gives them.
[Collection(InfrastructureCollection.Name)]
public sealed class StorageErrorsTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Deadlock_ThroughEfCore_IsAConflictToRedo()
    {
        var database = await infrastructure.Postgres.CreateDatabaseAsync(Hosts.UniqueName("deadlock"));
        await using (var setup = new NpgsqlConnection(database))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE counters (id int PRIMARY KEY, value int NOT NULL); INSERT INTO counters VALUES (1, 0), (2, 0);", setup);
            await create.ExecuteNonQueryAsync();
        }

        await using var first = new CountersContext(database);
        await using var second = new CountersContext(database);
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        await using var secondTransaction = await second.Database.BeginTransactionAsync();
        await BumpAsync(first, 1);
        await BumpAsync(second, 2);

        // Each now waits for the row the other holds: PostgreSQL aborts one of them.
        var outcomes = await Task.WhenAll(BumpOrAbortAsync(first, firstTransaction, 2), BumpOrAbortAsync(second, secondTransaction, 1));

        var failure = Assert.Single(outcomes, o => o is not null);
        Assert.True(StorageErrors.IsConflict(failure!), failure!.ToString());
        Assert.True(StorageErrors.IsContention(failure!));
        Assert.False(StorageErrors.IsUnavailable(failure!));
        Assert.Equal(PostgresErrorCodes.DeadlockDetected, Innermost<PostgresException>(failure!)?.SqlState);
    }

    /// The failure, after rolling back so that the other transaction can finish; null when the bump went through.
    private static async Task<Exception?> BumpOrAbortAsync(CountersContext context, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, int id)
    {
        try
        {
            await BumpAsync(context, id);
            await transaction.CommitAsync();
            return null;
        }
        catch (Exception ex)
        {
            await transaction.RollbackAsync();
            return ex;
        }
    }

    private static T? Innermost<T>(Exception? ex)
        where T : Exception
    {
        T? found = null;
        for (; ex is not null; ex = ex.InnerException)
        {
            found = ex as T ?? found;
        }

        return found;
    }

    private static async Task BumpAsync(CountersContext context, int id)
    {
        var counter = await context.Counters.SingleAsync(c => c.Id == id);
        counter.Value++;
        await context.SaveChangesAsync();
    }

    private sealed class Counter
    {
        public int Id { get; set; }

        public int Value { get; set; }
    }

    private sealed class CountersContext(string connectionString) : DbContext
    {
        public DbSet<Counter> Counters => Set<Counter>();

        protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => optionsBuilder.UseNpgsql(connectionString);

        protected override void OnModelCreating(ModelBuilder modelBuilder) =>
            modelBuilder.Entity<Counter>(e =>
            {
                e.ToTable("counters");
                e.Property(c => c.Id).HasColumnName("id").ValueGeneratedNever();
                e.Property(c => c.Value).HasColumnName("value");
            });
    }
}
