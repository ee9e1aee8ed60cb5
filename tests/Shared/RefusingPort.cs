using System.Net;
using System.Net.Sockets;

namespace LeadHandoff.Testing;

/// A loopback address where nothing listens for as long as this lives: the port stays bound (so no other process's
/// server can take it meanwhile) but never listens, so every connection is refused at once — a service that is down.
public sealed class RefusingPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RefusingPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}/");
    }

    public Uri Url { get; }

    public void Dispose() => _socket.Dispose();
}
