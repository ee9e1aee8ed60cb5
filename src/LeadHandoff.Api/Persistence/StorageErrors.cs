namespace LeadHandoff.Api.Persistence;

internal static class StorageErrors
{
    /// Another writer got there first: a unique key (an event, a lead's email or external id, a handoff's cycle) or
    /// a lead's version changed between our read and our commit, or two writers inserting the same keys in opposite
    /// orders deadlocked and the database aborted one. Reloading and redoing the batch resolves it.
    public static bool IsConflict(Exception ex) => ex switch
    {
        Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException => true,
        Npgsql.PostgresException postgres => postgres.SqlState
            is Npgsql.PostgresErrorCodes.UniqueViolation
            or Npgsql.PostgresErrorCodes.DeadlockDetected
            or Npgsql.PostgresErrorCodes.SerializationFailure,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555, // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
        _ => ex.InnerException is not null && IsConflict(ex.InnerException),
    };

    /// Writers colliding rather than data clashing: a lead's version changed under us, or the database aborted one of
    /// two transactions (deadlock, serialization failure). Redoing succeeds once they fall out of step; a request
    /// that keeps losing is answered 503 so the platform retries it. A unique key that still clashes after a reload
    /// is not contention and stays an error.
    public static bool IsContention(Exception ex) => ex switch
    {
        Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException => true,
        Npgsql.PostgresException postgres => postgres.SqlState
            is Npgsql.PostgresErrorCodes.DeadlockDetected
            or Npgsql.PostgresErrorCodes.SerializationFailure,
        _ => ex.InnerException is not null && IsContention(ex.InnerException),
    };

    /// The database could not be reached, was busy or timed out — a condition to retry later. A constraint violation
    /// or a bad statement is not transient and stays an error.
    public static bool IsUnavailable(Exception ex) => ex switch
    {
        // Npgsql calls these transient too, but the database is there: they are contention (above).
        Npgsql.PostgresException postgres when postgres.SqlState
            is Npgsql.PostgresErrorCodes.DeadlockDetected
            or Npgsql.PostgresErrorCodes.SerializationFailure => false,
        // The server shutting down or restarting ends the connections a pool still holds.
        Npgsql.PostgresException postgres when postgres.SqlState
            is Npgsql.PostgresErrorCodes.AdminShutdown
            or Npgsql.PostgresErrorCodes.CrashShutdown
            or Npgsql.PostgresErrorCodes.CannotConnectNow => true,
        System.Data.Common.DbException db => db.IsTransient || (ex.InnerException is not null && IsUnavailable(ex.InnerException)),
        TimeoutException or System.Net.Sockets.SocketException => true,
        Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException => true,
        _ => ex.InnerException is not null && IsUnavailable(ex.InnerException),
    };

    /// Waits before redoing a unit of work that collided with another writer: longer with each attempt, with jitter,
    /// so that writers that collided fall out of step.
    public static Task BackoffAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), cancellationToken);
}
