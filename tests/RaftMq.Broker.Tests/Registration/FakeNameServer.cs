using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Tests.Registration;

/// <summary>A name server stand-in on 127.0.0.1 that records REGISTER_BROKER and UNREGISTER_BROKER requests and
/// can hold its answers back until released.</summary>
internal sealed class FakeNameServer : IAsyncDisposable, IRemotingRequestHandler
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly RemotingServer _server;
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeNameServer(bool holdAnswers)
    {
        if (!holdAnswers) _release.SetResult();
        _server = new RemotingServer(new RemotingServerOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        _server.RegisterHandler(RequestCode.RegisterBroker, this);
        _server.RegisterHandler(RequestCode.UnregisterBroker, this);
    }

    public string Address => $"127.0.0.1:{_server.LocalEndPoint.Port}";

    public ConcurrentQueue<RegisterBrokerRequestHeader> Registrations { get; } = new();

    public ConcurrentQueue<RegisterBrokerBody> RegistrationBodies { get; } = new();

    public ConcurrentQueue<BrokerIdentityRequestHeader> Unregistrations { get; } = new();

    /// <summary>Requests received, answered or not.</summary>
    public int RegistrationCount => Registrations.Count;

    public static async Task<FakeNameServer> StartAsync(bool holdAnswers = false)
    {
        var server = new FakeNameServer(holdAnswers);
        await server._server.StartAsync();
        return server;
    }

    /// <summary>An address where nothing listens: connecting is refused at once.</summary>
    public static string DeadAddress()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return $"127.0.0.1:{((IPEndPoint)probe.LocalEndPoint!).Port}";
    }

    public void ReleaseAnswers() => _release.TrySetResult();

    public async ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        if (request.Code == RequestCode.UnregisterBroker)
        {
            Unregistrations.Enqueue(BrokerIdentityRequestHeader.FromExtFields(request.ExtFields));
            return request.CreateResponse(ResponseCode.Success);
        }
        RegistrationBodies.Enqueue(ProtocolJson.Decode<RegisterBrokerBody>(request.Body.Span));
        Registrations.Enqueue(RegisterBrokerRequestHeader.FromExtFields(request.ExtFields));
        await _release.Task.WaitAsync(cancellationToken);
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = ProtocolJson.Encode(new KvTable());
        return response;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting until " + what);
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseAnswers();
        await _server.DisposeAsync();
    }
}
