using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using DotNet.Testcontainers.Builders;
using Npgsql;
using Testcontainers.PostgreSql;

namespace LeadHandoff.IntegrationTests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for tests: the one named by <c>LEADHANDOFF_TEST_POSTGRES</c>, else a private cluster
/// created from the locally installed server, else a Testcontainers container. Tests isolate by database.
/// </summary>
public sealed partial class PostgresServer : TestServer
{
    public const string EnvironmentVariable = "LEADHANDOFF_TEST_POSTGRES";

    private const string ContainerImage = "postgres:15";
    private const string SuperuserName = "postgres";
    private const string SuperuserPassword = "postgres";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _databaseCreation = new(1, 1);
    private readonly string? _directory;
    private readonly string? _binDirectory;
    private readonly PostgreSqlContainer? _container;

    private PostgresServer(string connectionString, string description)
        : base(description)
    {
        ConnectionString = connectionString;
    }

    private PostgresServer(string connectionString, string directory, string binDirectory)
        : this(connectionString, $"private cluster in {directory} ({binDirectory})")
    {
        _directory = directory;
        _binDirectory = binDirectory;
        CanRestart = true;
    }

    private PostgresServer(string connectionString, PostgreSqlContainer container)
        : this(connectionString, $"container {container.Id} ({ContainerImage})")
    {
        _container = container;
        Running = true;
        CanRestart = true;
    }

    /// <summary>Npgsql connection string for the <c>postgres</c> database, as a superuser.</summary>
    public string ConnectionString { get; }

    private string DataDirectory => Path.Combine(_directory!, "data");

    private string LogFile => Path.Combine(_directory!, "postgres.log");

    private static bool RunningAsRoot => Environment.IsPrivilegedProcess;

    public static async Task<PostgresServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            var server = new PostgresServer(external, $"external server from {EnvironmentVariable}");
            await WaitForConnectionAsync(external, StartDeadline, () => "", cancellationToken).ConfigureAwait(false);
            return server;
        }

        var binDirectory = FindBinDirectory();
        if (binDirectory is not null)
        {
            return await StartClusterAsync(binDirectory, cancellationToken).ConfigureAwait(false);
        }

        return await StartContainerAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates an empty database (dropping a leftover one of that name first) and returns a connection string to it.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(Disposed, this);
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a plain database name (lower case letters, digits, _; at most 63).", nameof(name));
        }

        // Concurrent CREATE DATABASE calls all copy template1 and can trip over each other.
        await _databaseCreation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString(ConnectionString));
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            string[] statements = [$"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", $"CREATE DATABASE \"{name}\""];
            foreach (var sql in statements)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _databaseCreation.Release();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    public override string ToString() => $"PostgreSQL {Description}";

    protected override string RestartHint => $"Fault tests need a private server: unset {EnvironmentVariable} and install postgresql.";

    protected override async Task StopServerAsync(CancellationToken cancellationToken)
    {
        if (_container is not null)
        {
            await _container.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await PgCtlAsync(["stop", "-m", "fast"], cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task StartServerAsync(CancellationToken cancellationToken)
    {
        if (_container is null)
        {
            await StartPostmasterAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await _container.StartAsync(cancellationToken).ConfigureAwait(false);
        var port = new NpgsqlConnectionStringBuilder(_container.GetConnectionString()).Port;
        if (port != new NpgsqlConnectionStringBuilder(ConnectionString).Port)
        {
            throw new InvalidOperationException($"PostgreSQL container came back on port {port}; clients would not find it.");
        }

        await WaitForConnectionAsync(ConnectionString, StartDeadline, () => "", cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask DisposeServerAsync()
    {
        try
        {
            if (_container is not null)
            {
                await _container.DisposeAsync().ConfigureAwait(false);
            }
            else if (_directory is not null)
            {
                try
                {
                    if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                    {
                        await PgCtlAsync(["stop", "-m", "immediate"], CancellationToken.None).ConfigureAwait(false);
                    }
                }
                finally
                {
                    Directory.Delete(_directory, recursive: true);
                }
            }
        }
        finally
        {
            _databaseCreation.Dispose();
        }
    }

    private static async Task<PostgresServer> StartClusterAsync(
        string binDirectory,
        CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("lh-pg-").FullName;
        var port = GetFreeLoopbackPort();
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = SuperuserName,
            Password = SuperuserPassword,
            Database = "postgres",
        }.ConnectionString;
        var server = new PostgresServer(connectionString, directory, binDirectory);
        try
        {
            await server.InitializeClusterAsync(port, cancellationToken).ConfigureAwait(false);
            await server.StartPostmasterAsync(cancellationToken).ConfigureAwait(false);
            server.Running = true;
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task InitializeClusterAsync(int port, CancellationToken cancellationToken)
    {
        var directory = _directory!;

        // PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres user.
        if (RunningAsRoot)
        {
            await RunCheckedAsync("chown", [$"{SuperuserName}:", directory], asServerUser: false, cancellationToken)
                .ConfigureAwait(false);
        }

        var passwordFile = Path.Combine(directory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, SuperuserPassword + "\n", cancellationToken).ConfigureAwait(false);
        await RunCheckedAsync(
                Path.Combine(_binDirectory!, "initdb"),
                [
                    "-D", DataDirectory, "-U", SuperuserName, $"--pwfile={passwordFile}",
                    "--auth-local=trust", "--auth-host=scram-sha-256",
                    "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
                ],
                asServerUser: true,
                cancellationToken)
            .ConfigureAwait(false);
        File.Delete(passwordFile);

        // Appending keeps the file's owner. Durability settings are off: a test cluster is thrown away, and tests
        // that need a crash use StopAsync, which shuts down cleanly.
        await File.AppendAllTextAsync(
                Path.Combine(DataDirectory, "postgresql.conf"),
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"""

                     listen_addresses = '127.0.0.1'
                     port = {port}
                     unix_socket_directories = '{directory}'
                     max_connections = 300
                     fsync = off
                     synchronous_commit = off
                     full_page_writes = off
                     """),
                cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task StartPostmasterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PgCtlAsync(
                    ["start", "-l", LogFile, "-t", StartDeadline.TotalSeconds.ToString(CultureInfo.InvariantCulture)],
                    cancellationToken)
                .ConfigureAwait(false);
            await WaitForConnectionAsync(ConnectionString, StartDeadline, ReadLogTail, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"{ex.Message}\n{ReadLogTail()}", ex);
        }
    }

    private Task PgCtlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunCheckedAsync(
            Path.Combine(_binDirectory!, "pg_ctl"),
            [.. arguments, "-D", DataDirectory, "-w"],
            asServerUser: true,
            cancellationToken);

    private static async Task<PostgresServer> StartContainerAsync(CancellationToken cancellationToken)
    {
        PostgreSqlContainer container;
        try
        {
            // A fixed host port lets StopAsync/StartAsync bring the server back where clients expect it.
            container = new PostgreSqlBuilder(ContainerImage)
                .WithUsername(SuperuserName)
                .WithPassword(SuperuserPassword)
                .WithDatabase("postgres")
                .WithPortBinding(GetFreeLoopbackPort(), 5432)
                .Build();
        }
        catch (DockerUnavailableException ex)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL for integration tests: {EnvironmentVariable} is not set, no server binaries under " +
                "/usr/lib/postgresql/*/bin (run scripts/install-test-deps.sh) and no Docker engine is reachable " +
                "for Testcontainers.",
                ex);
        }

        try
        {
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
            var connectionString = container.GetConnectionString();
            await WaitForConnectionAsync(connectionString, StartDeadline, () => "", cancellationToken)
                .ConfigureAwait(false);
            return new PostgresServer(connectionString, container);
        }
        catch
        {
            await container.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static string? FindBinDirectory()
    {
        const string Root = "/usr/lib/postgresql";
        if (!Directory.Exists(Root))
        {
            return null;
        }

        return Directory.GetDirectories(Root)
            .Select(path => (Path: Path.Combine(path, "bin"), Version: ParseVersion(Path.GetFileName(path))))
            .Where(candidate => candidate.Version is not null &&
                                File.Exists(Path.Combine(candidate.Path, "pg_ctl")) &&
                                File.Exists(Path.Combine(candidate.Path, "initdb")))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Path)
            .FirstOrDefault();

        static Version? ParseVersion(string name) =>
            Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version)
                ? version
                : null;
    }

    private string ReadLogTail()
    {
        if (!File.Exists(LogFile))
        {
            return "";
        }

        var content = File.ReadAllText(LogFile);
        return $"--- {LogFile} (tail) ---\n{(content.Length > 4000 ? content[^4000..] : content)}";
    }

    private static string AdminConnectionString(string connectionString) =>
        // Unpooled: the fixture's own connections must not linger in a pool across a server restart.
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 }.ConnectionString;

    private static async Task WaitForConnectionAsync(
        string connectionString,
        TimeSpan deadline,
        Func<string> diagnostics,
        CancellationToken cancellationToken)
    {
        var probe = AdminConnectionString(connectionString);
        var clock = Stopwatch.StartNew();
        Exception? lastError = null;
        while (clock.Elapsed < deadline)
        {
            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException ex)
            {
                lastError = ex;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException(
            $"PostgreSQL did not accept a connection within {deadline.TotalSeconds:0} s.\n{diagnostics()}",
            lastError);
    }

    private async Task RunCheckedAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        bool asServerUser,
        CancellationToken cancellationToken)
    {
        var asPostgres = asServerUser && RunningAsRoot;
        var startInfo = new ProcessStartInfo(asPostgres ? "runuser" : fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory!,
        };
        if (asPostgres)
        {
            foreach (var prefix in (string[])["-u", SuperuserName, "--", fileName])
            {
                startInfo.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Inherited libpq settings (PGPORT, PGDATA, ...) would point the tools at some other cluster.
        var inherited = startInfo.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList();
        foreach (var key in inherited)
        {
            startInfo.Environment.Remove(key);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StopDeadline + StartDeadline);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        string output;
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in time.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {output}");
        }
    }

    private static int GetFreeLoopbackPort()
    {
        // Ports come from below the kernel's ephemeral range: a client that keeps reconnecting while the server
        // is stopped could otherwise be handed the server's port as its own local port (even connect to itself),
        // and the server could not come back on it.
        var ephemeralStart = 32768;
        if (File.Exists("/proc/sys/net/ipv4/ip_local_port_range"))
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            ephemeralStart = int.Parse(range[0], CultureInfo.InvariantCulture);
        }

        var lowest = Math.Min(10000, ephemeralStart / 2);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, Random.Shared.Next(lowest, ephemeralStart)));
                return ((IPEndPoint)socket.LocalEndPoint!).Port;
            }
            catch (SocketException)
            {
                // Taken; try another.
            }
        }

        throw new InvalidOperationException($"No free loopback port found below {ephemeralStart}.");
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
