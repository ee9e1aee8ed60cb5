namespace LeadHandoff.Api.Persistence;

internal static class StorageErrors
{
    /// Another writer got there first: a unique key (an event, a lead's email or external id, a handoff's cycle) or
    /// a lead's version changed between our read and our commit. Reloading and redoing the batch resolves it.
    public static bool IsConflict(Exception ex) => ex switch
    {
        Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException => true,
        Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555, // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
        _ => ex.InnerException is not null && IsConflict(ex.InnerException),
    };

    /// The database could not be reached, was busy or timed out — a condition to retry later. A constraint violation
    /// or a bad statement is not transient and stays an error.
    public static bool IsUnavailable(Exception ex) => ex switch
    {
        System.Data.Common.DbException db => db.IsTransient || (ex.InnerException is not null && IsUnavailable(ex.InnerException)),
        TimeoutException or System.Net.Sockets.SocketException => true,
        Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException => true,
        _ => ex.InnerException is not null && IsUnavailable(ex.InnerException),
    };
}
