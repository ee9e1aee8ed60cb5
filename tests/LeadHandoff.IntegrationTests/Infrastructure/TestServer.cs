namespace LeadHandoff.IntegrationTests.Infrastructure;

/// <summary>
/// The stop/start/dispose protocol every test server follows, so fault tests can take a server down and bring it back
/// on the same port with the same data. Subclasses say how their server stops, starts and is torn down.
/// </summary>
public abstract class TestServer : IAsyncDisposable
{
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private bool _disposed;

    protected TestServer(string description) => Description = description;

    /// <summary>Whether <see cref="StopAsync"/>/<see cref="StartAsync"/> work; false for an external server.</summary>
    public bool CanRestart { get; protected init; }

    public string Description { get; }

    protected bool Running { get; set; }

    protected bool Disposed => _disposed;

    /// <summary>What to do instead, shown when a test tries to restart a server it does not own.</summary>
    protected abstract string RestartHint { get; }

    /// <summary>Stops the server, keeping data and port, for <see cref="StartAsync"/> to bring it back.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        EnsureRestartable();
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!Running)
            {
                return;
            }

            await StopServerAsync(cancellationToken).ConfigureAwait(false);
            Running = false;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same port with the same data.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        EnsureRestartable();
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Running)
            {
                return;
            }

            await StartServerAsync(cancellationToken).ConfigureAwait(false);
            Running = true;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            await DisposeServerAsync().ConfigureAwait(false);
        }
        finally
        {
            Running = false;
            _lifecycle.Release();
            _lifecycle.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    protected abstract Task StopServerAsync(CancellationToken cancellationToken);

    protected abstract Task StartServerAsync(CancellationToken cancellationToken);

    /// <summary>Stops whatever still runs and removes what the server left on disk.</summary>
    protected abstract ValueTask DisposeServerAsync();

    private void EnsureRestartable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!CanRestart)
        {
            throw new InvalidOperationException(
                $"This server cannot be stopped or restarted by tests ({Description}). {RestartHint}");
        }
    }
}
