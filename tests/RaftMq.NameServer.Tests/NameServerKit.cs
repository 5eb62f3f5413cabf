using System.Net;
using RaftMq.NameServer.Configuration;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.NameServer.Tests;

/// <summary>A name server on 127.0.0.1 with a free port, and a client that speaks to it like a broker or a producer.</summary>
internal sealed class NameServerKit : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private NameServerKit(NameServer server)
    {
        Server = server;
        Address = $"127.0.0.1:{server.LocalEndPoint.Port}";
    }

    public NameServer Server { get; }

    public string Address { get; }

    public RemotingClient Client { get; } = new();

    public static async Task<NameServerKit> StartAsync(NameServerOptions? options = null)
    {
        var server = new NameServer((options ?? new NameServerOptions()) with { ListenPort = 0, BindAddress = IPAddress.Loopback });
        await server.StartAsync();
        return new NameServerKit(server);
    }

    public Task<RemotingCommand> InvokeAsync(RemotingCommand request, RemotingClient? client = null) =>
        (client ?? Client).InvokeAsync(Address, request, Deadline);

    public static RemotingCommand RegisterRequest(string brokerName, long brokerId, string address, TopicConfigSerializeWrapper? topics)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.RegisterBroker);
        new RegisterBrokerRequestHeader
        {
            ClusterName = "DefaultCluster",
            BrokerName = brokerName,
            BrokerAddr = address,
            HaServerAddr = "ha-" + address,
            BrokerId = brokerId,
        }.ToExtFields(request.ExtFields);
        if (topics is not null) request.Body = ProtocolJson.Encode(new RegisterBrokerBody { TopicConfigSerializeWrapper = topics });
        return request;
    }

    public static RemotingCommand RouteRequest(string topic)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.GetRouteInfoByTopic);
        new GetRouteInfoRequestHeader { Topic = topic }.ToExtFields(request.ExtFields);
        return request;
    }

    public static RemotingCommand IdentityRequest(int code, string brokerName, long brokerId, string address)
    {
        var request = RemotingCommand.CreateRequest(code);
        new BrokerIdentityRequestHeader { ClusterName = "DefaultCluster", BrokerName = brokerName, BrokerAddr = address, BrokerId = brokerId }
            .ToExtFields(request.ExtFields);
        return request;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
