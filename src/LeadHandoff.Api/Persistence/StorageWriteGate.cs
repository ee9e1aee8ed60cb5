using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LeadHandoff.Api.Persistence;

/// SQLite has one writer at a time per file. Writers that collide get SQLITE_BUSY, which Microsoft.Data.Sqlite
/// answers with a 150 ms sleep; taking turns in-process instead costs nothing. PostgreSQL needs no gate.
internal sealed class StorageWriteGate(bool serialize) : IDisposable
{
    private readonly SemaphoreSlim? _gate = serialize ? new SemaphoreSlim(1, 1) : null;

    public async ValueTask<Turn> EnterAsync(CancellationToken cancellationToken)
    {
        if (_gate is not null)
        {
            await _gate.WaitAsync(cancellationToken);
        }

        return new Turn(_gate);
    }

    public void Dispose() => _gate?.Dispose();

    internal readonly struct Turn(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}

/// Per-connection SQLite settings: SQLite itself waits (in short steps) for a lock held by another process or an
/// ungated write instead of returning SQLITE_BUSY at once, and keeps a page cache large enough for the hot indexes.
internal sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    // 16 MiB of page cache per connection (the default is 2 MiB): the lead and dedup indexes stay in memory
    // instead of being re-read from the file by every batch.
    private const string Pragma = "PRAGMA busy_timeout = 5000; PRAGMA cache_size = -16384;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
