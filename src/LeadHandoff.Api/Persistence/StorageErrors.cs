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

    /// The database could not be reached, was busy or timed out — a condition to retry later. A constraint violation
    /// or a bad statement is not transient and stays an error.
    public static bool IsUnavailable(Exception ex) => ex switch
    {
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
}
