using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DotNet.Testcontainers.Builders;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Testcontainers.RabbitMq;

namespace LeadHandoff.IntegrationTests.Infrastructure;

/// <summary>
/// A real RabbitMQ broker for tests: the one named by <c>LEADHANDOFF_TEST_RABBITMQ</c>, else a private node started
/// from the locally installed server, else a Testcontainers container. Never a fake, and never a silent skip.
/// </summary>
public sealed class RabbitMqServer : TestServer
{
    public const string EnvironmentVariable = "LEADHANDOFF_TEST_RABBITMQ";

    // The /usr/sbin wrapper switches to the rabbitmq user, who cannot write a root-owned temp dir.
    private const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string ControlScript = "/usr/lib/rabbitmq/bin/rabbitmqctl";
    private const string ContainerImage = "rabbitmq:3.10";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly string? _directory;
    private readonly string? _nodeName;
    private readonly Dictionary<string, string>? _environment;
    private readonly RabbitMqContainer? _container;
    private Process? _node;

    private RabbitMqServer(Uri amqpUri, string description)
        : base(description)
    {
        AmqpUri = amqpUri;
    }

    private RabbitMqServer(Uri amqpUri, string directory, string nodeName, Dictionary<string, string> environment)
        : this(amqpUri, $"private node {nodeName} in {directory}")
    {
        _directory = directory;
        _nodeName = nodeName;
        _environment = environment;
        CanRestart = true;
    }

    private RabbitMqServer(Uri amqpUri, RabbitMqContainer container)
        : this(amqpUri, $"container {container.Id} ({ContainerImage})")
    {
        _container = container;
        Running = true;
        CanRestart = true;
    }

    /// <summary>amqp:// URI with credentials, ending in the default virtual host.</summary>
    public Uri AmqpUri { get; }

    public static async Task<RabbitMqServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            var uri = new Uri(external, UriKind.Absolute);
            var server = new RabbitMqServer(uri, $"external broker from {EnvironmentVariable}");
            await WaitForAmqpAsync(uri, process: null, StartDeadline, () => "", cancellationToken)
                .ConfigureAwait(false);
            return server;
        }

        if (File.Exists(ServerScript))
        {
            return await StartLocalNodeAsync(cancellationToken).ConfigureAwait(false);
        }

        return await StartContainerAsync(cancellationToken).ConfigureAwait(false);
    }

    public override string ToString() => $"RabbitMQ {AmqpUri} ({Description})";

    protected override string RestartHint => $"Fault tests need a private node: unset {EnvironmentVariable} and install rabbitmq-server.";

    protected override async Task StopServerAsync(CancellationToken cancellationToken)
    {
        if (_container is not null)
        {
            await _container.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await StopNodeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task StartServerAsync(CancellationToken cancellationToken)
    {
        if (_container is null)
        {
            await StartNodeAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await _container.StartAsync(cancellationToken).ConfigureAwait(false);
        var uri = new Uri(_container.GetConnectionString());
        if (uri.Port != AmqpUri.Port)
        {
            throw new InvalidOperationException(
                $"RabbitMQ container came back on port {uri.Port}, not {AmqpUri.Port}; clients would miss it.");
        }

        await WaitForAmqpAsync(AmqpUri, process: null, StartDeadline, () => "", cancellationToken).ConfigureAwait(false);
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
                    if (Running || _node is { HasExited: false })
                    {
                        await StopNodeAsync(CancellationToken.None).ConfigureAwait(false);
                    }
                }
                finally
                {
                    KillNode();
                    Directory.Delete(_directory, recursive: true);
                }
            }
        }
        finally
        {
            _node?.Dispose();
        }
    }

    private static async Task<RabbitMqServer> StartLocalNodeAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("lh-rmq-").FullName;
        var (amqpPort, distPort) = GetTwoFreeLoopbackPorts();
        var nodeName = string.Create(CultureInfo.InvariantCulture, $"lh-test-{Guid.NewGuid():N}@localhost");

        var configFile = Path.Combine(directory, "rabbitmq.conf");
        await File.WriteAllTextAsync(
                configFile,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"listeners.tcp.1 = 127.0.0.1:{amqpPort}\nloopback_users = none\nlog.console = false\n"),
                cancellationToken)
            .ConfigureAwait(false);
        var pluginsFile = Path.Combine(directory, "enabled_plugins");
        await File.WriteAllTextAsync(pluginsFile, "[].\n", cancellationToken).ConfigureAwait(false);
        var envFile = Path.Combine(directory, "rabbitmq-env.conf");
        await File.WriteAllTextAsync(envFile, "", cancellationToken).ConfigureAwait(false);

        // A machine-wide /etc/rabbitmq must not leak into the private node, so every path is pinned to the temp
        // dir. HOME holds the Erlang cookie that rabbitmqctl needs to reach the node later.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = directory,
            ["RABBITMQ_NODENAME"] = nodeName,
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbitmq.pid"),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = pluginsFile,
            ["RABBITMQ_CONF_ENV_FILE"] = envFile,
            ["RABBITMQ_CONFIG_FILE"] = configFile,
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(directory, "advanced.config"),
            ["SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            ["RABBITMQ_CTL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            // erl starts epmd by itself when none is running; this keeps that epmd on loopback. A system epmd
            // (from a packaged rabbitmq-server) is shared harmlessly: epmd only maps node names to ports.
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        };

        var amqpUri = new Uri(string.Create(CultureInfo.InvariantCulture, $"amqp://guest:guest@127.0.0.1:{amqpPort}/"));
        var server = new RabbitMqServer(amqpUri, directory, nodeName, environment);
        try
        {
            await server.StartNodeAsync(cancellationToken).ConfigureAwait(false);
            server.Running = true;
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<RabbitMqServer> StartContainerAsync(CancellationToken cancellationToken)
    {
        RabbitMqContainer container;
        try
        {
            // A fixed host port lets StopAsync/StartAsync bring the broker back where clients expect it.
            var (hostPort, _) = GetTwoFreeLoopbackPorts();
            container = new RabbitMqBuilder(ContainerImage).WithPortBinding(hostPort, 5672).Build();
        }
        catch (DockerUnavailableException ex)
        {
            throw new InvalidOperationException(
                $"No RabbitMQ for integration tests: {EnvironmentVariable} is not set, {ServerScript} is missing " +
                "(run scripts/install-test-deps.sh) and no Docker engine is reachable for Testcontainers.",
                ex);
        }

        try
        {
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
            var amqpUri = new Uri(container.GetConnectionString());
            await WaitForAmqpAsync(amqpUri, process: null, StartDeadline, () => "", cancellationToken)
                .ConfigureAwait(false);
            return new RabbitMqServer(amqpUri, container);
        }
        catch
        {
            await container.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartNodeAsync(CancellationToken cancellationToken)
    {
        var directory = _directory!;
        var outputFile = Path.Combine(directory, "server.out");

        // The shell redirect hands the node a file instead of this process's pipes: nothing has to drain them,
        // and a node that outlives the test host cannot hold the test runner's output open.
        var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = directory };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add("exec \"$0\" >>\"$1\" 2>&1 </dev/null");
        startInfo.ArgumentList.Add(ServerScript);
        startInfo.ArgumentList.Add(outputFile);
        ApplyEnvironment(startInfo, _environment!);

        _node?.Dispose();
        _node = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {ServerScript}.");

        try
        {
            await WaitForAmqpAsync(AmqpUri, _node, StartDeadline, ReadDiagnostics, cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            KillNode();
            throw;
        }
    }

    private async Task StopNodeAsync(CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync(
                ControlScript,
                ["-n", _nodeName!, "stop"],
                _environment!,
                StopDeadline,
                cancellationToken)
            .ConfigureAwait(false);

        if (_node is null || _node.HasExited)
        {
            return;
        }

        if (exitCode != 0)
        {
            KillNode();
            throw new InvalidOperationException(
                $"'rabbitmqctl -n {_nodeName} stop' failed with exit code {exitCode}; the node was killed: {output}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StopDeadline);
        try
        {
            await _node.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            KillNode();
            throw new TimeoutException(
                $"RabbitMQ node {_nodeName} did not exit within {StopDeadline.TotalSeconds:0} s of " +
                $"'rabbitmqctl stop' (exit code {exitCode}): {output}\n{ReadDiagnostics()}");
        }
    }

    private void KillNode()
    {
        if (_node is { HasExited: false })
        {
            _node.Kill(entireProcessTree: true);
            _node.WaitForExit();
        }
    }

    private string ReadDiagnostics()
    {
        var logDirectory = Path.Combine(_directory!, "log");
        var files = Directory.Exists(logDirectory) ? Directory.GetFiles(logDirectory, "*.log") : [];
        var text = new StringBuilder();
        foreach (var file in files.Prepend(Path.Combine(_directory!, "server.out")).Where(File.Exists))
        {
            var content = File.ReadAllText(file);
            text.Append("--- ").Append(file).Append(" (tail) ---\n")
                .Append(content.Length > 4000 ? content[^4000..] : content).Append('\n');
        }

        return text.ToString();
    }

    private static async Task WaitForAmqpAsync(
        Uri amqpUri,
        Process? process,
        TimeSpan deadline,
        Func<string> diagnostics,
        CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = amqpUri,
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            ClientProvidedName = "leadhandoff-test-readiness",
        };
        var clock = Stopwatch.StartNew();
        Exception? lastError = null;
        while (clock.Elapsed < deadline)
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException(
                    $"RabbitMQ exited with code {process.ExitCode} before accepting AMQP on {amqpUri.Port}.\n" +
                    diagnostics());
            }

            try
            {
                var connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
                return;
            }
            catch (BrokerUnreachableException ex)
            {
                lastError = ex;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException(
            $"RabbitMQ at 127.0.0.1:{amqpUri.Port} did not accept an AMQP connection within " +
            $"{deadline.TotalSeconds:0} s.\n{diagnostics()}",
            lastError);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        Dictionary<string, string> environment,
        TimeSpan deadline,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = environment["HOME"],
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        ApplyEnvironment(startInfo, environment);

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{fileName} {string.Join(' ', arguments)} did not finish within {deadline.TotalSeconds:0} s.");
        }
    }

    private static void ApplyEnvironment(ProcessStartInfo startInfo, Dictionary<string, string> environment)
    {
        // Inherited RABBITMQ_* settings (a CI job's own broker, say) would reconfigure the private node.
        foreach (var key in startInfo.Environment.Keys
                     .Where(k => k.StartsWith("RABBITMQ_", StringComparison.Ordinal) ||
                                 k.StartsWith("ERL_", StringComparison.Ordinal))
                     .ToList())
        {
            startInfo.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }
    }

    private static (int First, int Second) GetTwoFreeLoopbackPorts()
    {
        // Ports come from below the kernel's ephemeral range: a client that keeps reconnecting while the broker
        // is stopped could otherwise be handed the broker's port as its own local port (even connect to itself),
        // and the node could not come back on it.
        var ephemeralStart = 32768;
        if (File.Exists("/proc/sys/net/ipv4/ip_local_port_range"))
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            ephemeralStart = int.Parse(range[0], CultureInfo.InvariantCulture);
        }

        var lowest = Math.Min(10000, ephemeralStart / 2);
        var held = new List<Socket>();
        try
        {
            for (var attempt = 0; attempt < 200 && held.Count < 2; attempt++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Loopback, Random.Shared.Next(lowest, ephemeralStart)));
                    held.Add(socket);
                }
                catch (SocketException)
                {
                    socket.Dispose();
                }
            }

            if (held.Count < 2)
            {
                throw new InvalidOperationException($"No free loopback ports found below {ephemeralStart}.");
            }

            return (((IPEndPoint)held[0].LocalEndPoint!).Port, ((IPEndPoint)held[1].LocalEndPoint!).Port);
        }
        finally
        {
            foreach (var socket in held)
            {
                socket.Dispose();
            }
        }
    }
}
