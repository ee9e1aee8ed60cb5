namespace LeadHandoff.Api.Persistence;

internal static class StorageErrors
{
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
