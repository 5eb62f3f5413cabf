using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Foundation.Background;
using RaftMq.Foundation.Networking;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Instance;

/// <summary>
/// What RocketMQ calls MQClientInstance: one per (name server list, instance name) in a process, shared by the
/// producers, consumers and admin clients built with those settings. Owns the remoting connections, the topic
/// routes (polled and refreshed on demand), the broker address table and the heartbeats.
/// </summary>
internal sealed partial class ClientInstance : IAsyncDisposable
{
    private static readonly Dictionary<string, ClientInstance> Instances = new(StringComparer.Ordinal);
    private static readonly Lock InstancesLock = new();

    private readonly string _key;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IClientMember, byte> _members = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Signal _heartbeatNow = new();
    private Task[] _loops = [];
    private int _references;

    private ClientInstance(string key, ClientOptions options, ILoggerFactory loggerFactory)
    {
        _key = key;
        Options = options;
        LoggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("RaftMq.Client.Instance");
        ClientAddress = options.ClientIp is { } ip ? IPAddress.Parse(ip) : LocalAddress.FirstNonLoopbackIPv4();
        ClientId = ClientAddress + "@" + options.InstanceName;
        IdGenerator = new UniqueMessageIdGenerator(ClientAddress, Environment.ProcessId, Random.Shared.Next());
        Remoting = new RemotingClient(new RemotingClientOptions
        {
            ConnectTimeout = options.RequestTimeout,
            Diagnostics = e => _logger.RemotingEvent(e.Kind.ToString(), e.RemoteAddress, e.Message),
            RequestSigner = options.Credentials is { } credentials ? request => AclSignature.Sign(request, credentials) : null,
            Tls = options.Tls?.Load(),
        });
        Remoting.RegisterHandler(RequestCode.NotifyConsumerIdsChanged, new NotifyConsumerIdsChangedHandler(this));
        Remoting.RegisterHandler(RequestCode.CheckTransactionState, new CheckTransactionStateHandler(this));
        Remoting.RegisterHandler(RequestCode.ResetConsumerClientOffset, new ResetConsumerClientOffsetHandler(this));
        Remoting.RegisterHandler(RequestCode.GetConsumerRunningInfo, new ConsumerRunningInfoHandler(this));
        Remoting.RegisterHandler(RequestCode.ConsumeMessageDirectly, new ConsumeMessageDirectlyHandler(this));
    }

    public ClientOptions Options { get; }

    public ILoggerFactory LoggerFactory { get; }

    /// <summary>"ip@instanceName", how brokers identify this client.</summary>
    public string ClientId { get; }

    public IPAddress ClientAddress { get; }

    public UniqueMessageIdGenerator IdGenerator { get; }

    public RemotingClient Remoting { get; }

    /// <summary>The shared instance for these settings, started on first use; pair with <see cref="ReleaseAsync"/>.</summary>
    public static ClientInstance Acquire(ClientOptions options, ILoggerFactory? loggerFactory)
    {
        string key = string.Join(";", options.NameServerAddresses.Order(StringComparer.Ordinal)) + "|" + options.InstanceName + "|" + options.ClientIp + "|" + options.Credentials?.AccessKey + "|" + options.Tls;
        lock (InstancesLock)
        {
            if (!Instances.TryGetValue(key, out var instance))
            {
                instance = new ClientInstance(key, options, loggerFactory ?? NullLoggerFactory.Instance);
                instance.Start();
                Instances[key] = instance;
            }
            instance._references++;
            return instance;
        }
    }

    /// <summary>Drops one reference; the last one stops the instance and closes its connections.</summary>
    public async ValueTask ReleaseAsync()
    {
        lock (InstancesLock)
        {
            if (--_references > 0) return;
            Instances.Remove(_key);
        }
        await DisposeAsync().ConfigureAwait(false);
    }

    public void Register(IClientMember member)
    {
        _members[member] = 0;
        RequestHeartbeat();
    }

    public void Unregister(IClientMember member) => _members.TryRemove(member, out _);

    /// <summary>Sends heartbeats now instead of at the next interval.</summary>
    public void RequestHeartbeat() => _heartbeatNow.Set();

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        await Remoting.DisposeAsync().ConfigureAwait(false);
        _logger.InstanceStopped(ClientId);
    }

    /// <summary>Sends a request; throws <see cref="MQClientException"/> when the server cannot be reached and <see cref="MQBrokerException"/> unless the answer is one of <paramref name="acceptedCodes"/> (default SUCCESS).</summary>
    public async Task<RemotingCommand> InvokeCheckedAsync(
        string address, RemotingCommand request, CancellationToken cancellationToken, params int[] acceptedCodes)
    {
        RemotingCommand response;
        try
        {
            response = await Remoting.InvokeAsync(address, request, Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (RemotingException ex)
        {
            throw new MQClientException($"Request code {request.Code} to {address} failed: {ex.Message}", ex);
        }
        if (acceptedCodes.Length == 0 ? response.Code != ResponseCode.Success : Array.IndexOf(acceptedCodes, response.Code) < 0)
        {
            throw new MQBrokerException(response.Code, response.Remark, address);
        }
        return response;
    }

    private void Start()
    {
        _logger.InstanceStarted(ClientId, string.Join(",", Options.NameServerAddresses));
        _loops =
        [
            BackgroundLoop.Start(new BackgroundLoopOptions { Name = "route refresh", Period = Options.RouteRefreshInterval },
                RefreshAllRoutesAsync, _logger, _stopping.Token).Completion,
            BackgroundLoop.Start(new BackgroundLoopOptions { Name = "heartbeat", Period = Options.HeartbeatInterval, WakeUp = _heartbeatNow },
                SendHeartbeatsAsync, _logger, _stopping.Token).Completion,
        ];
    }

    private sealed class NotifyConsumerIdsChangedHandler(ClientInstance instance) : IRemotingRequestHandler
    {
        public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
        {
            string group = ConsumerGroupRequestHeader.FromExtFields(request.ExtFields).ConsumerGroup;
            instance._logger.ConsumerIdsChanged(group);
            foreach (var member in instance._members.Keys) member.OnConsumerIdsChanged(group);
            return ValueTask.FromResult<RemotingCommand?>(request.IsOneway ? null : request.CreateResponse(ResponseCode.Success));
        }
    }
}
