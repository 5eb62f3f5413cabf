using System.Collections.Concurrent;
using System.Net;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Protocol.Tests.Remoting;

/// <summary>A handler made from a delegate.</summary>
internal sealed class DelegateHandler(Func<RemotingContext, RemotingCommand, ValueTask<RemotingCommand?>> handle) : IRemotingRequestHandler
{
    public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken) =>
        handle(context, request);

    /// <summary>Answers SUCCESS, echoing the request's "value" field and body.</summary>
    public static DelegateHandler Echo() => new((_, request) =>
    {
        var response = request.CreateResponse(0);
        response.ExtFields.Set("value", request.ExtFields["value"] ?? "");
        response.Body = request.Body;
        return ValueTask.FromResult<RemotingCommand?>(response);
    });
}

/// <summary>A server on 127.0.0.1 with a free port, a client, and the diagnostics both reported.</summary>
internal sealed class RemotingTestKit : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public RemotingTestKit(Action<RemotingServer>? configure = null)
    {
        Server = new RemotingServer(new RemotingServerOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Diagnostics = ServerEvents.Enqueue,
        });
        configure?.Invoke(Server);
        Server.StartAsync().GetAwaiter().GetResult();
        Client = new RemotingClient(new RemotingClientOptions { Diagnostics = ClientEvents.Enqueue });
        Address = $"127.0.0.1:{Server.LocalEndPoint.Port}";
    }

    public RemotingServer Server { get; }

    public RemotingClient Client { get; }

    public string Address { get; }

    public ConcurrentQueue<RemotingDiagnosticEvent> ServerEvents { get; } = new();

    public ConcurrentQueue<RemotingDiagnosticEvent> ClientEvents { get; } = new();

    public static RemotingCommand Request(int code, string value = "")
    {
        var request = RemotingCommand.CreateRequest(code);
        request.ExtFields.Set("value", value);
        return request;
    }

    public Task<RemotingCommand> InvokeAsync(RemotingCommand request) => Client.InvokeAsync(Address, request, Deadline);

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes.</summary>
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
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
