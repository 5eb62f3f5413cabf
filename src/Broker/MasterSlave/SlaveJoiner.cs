using Microsoft.Extensions.Logging;
using RaftMq.Broker.Processors.Admin;
using RaftMq.Consensus;
using RaftMq.Consensus.Configuration;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.MasterSlave;

/// <summary>
/// Keeps a classic slave in its master's log. While no leader replicates to it, the slave finds the master's client
/// address through the name servers (broker id 0 of its brokerName, what RocketMQ's slave learns from its registration)
/// and asks it to add this node as a learner at its Raft address (RAFTMQ_ADD_PEER, learner=true; a slave that is a
/// learner already is answered so and changes nothing). The answer names the master's Raft address, which this node then
/// dials. Once the master replicates to it, the joiner only watches.
/// </summary>
public sealed class SlaveJoiner : IAsyncDisposable
{
    /// <summary>Answer field of RAFTMQ_ADD_PEER: the leader's own Raft address in the group's configuration.</summary>
    public const string LeaderPeerAddressField = "leaderPeerAddress";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(3);

    private readonly IReplicatedLog _log;
    private readonly string _brokerName;
    private readonly string _raftAddress;
    private readonly IReadOnlyList<string> _nameServers;
    private readonly TimeSpan _retry;
    private readonly ILogger _logger;
    private readonly RemotingClient _client;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private bool _replicatingLogged;

    public SlaveJoiner(IReplicatedLog log, string brokerName, string raftAddress, IReadOnlyList<string> nameServers,
        RemotingClientOptions clientOptions, TimeSpan retry, ILogger logger)
    {
        _log = log;
        _brokerName = brokerName;
        _raftAddress = raftAddress;
        _nameServers = nameServers;
        _retry = retry;
        _logger = logger;
        _client = new RemotingClient(clientOptions);
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stopping.Token));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await _client.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        int unknownRounds = 0;
        while (!stopping.IsCancellationRequested)
        {
            if (_log.State.LeaderId == ClassicReplication.MasterId)
            {
                if (!_replicatingLogged) LogMessages.Replicating(_logger, _log.SelfId, _brokerName, ClassicReplication.MasterId);
                _replicatingLogged = true;
            }
            else
            {
                _replicatingLogged = false;
                string? master = await FindMasterAsync(stopping).ConfigureAwait(false);
                if (master is null)
                {
                    if (unknownRounds++ % 10 == 0) LogMessages.MasterUnknown(_logger, _log.SelfId, _brokerName, string.Join(';', _nameServers));
                }
                else
                {
                    unknownRounds = 0;
                    await JoinAsync(master, stopping).ConfigureAwait(false);
                }
            }
            await Task.Delay(_retry, stopping).ConfigureAwait(false);
        }
    }

    private async Task JoinAsync(string master, CancellationToken stopping)
    {
        LogMessages.Joining(_logger, _log.SelfId, _brokerName, master, _raftAddress);
        var request = RemotingCommand.CreateRequest(RaftMqRequestCode.AddPeer);
        request.ExtFields.Set("peerId", _log.SelfId);
        request.ExtFields.Set("address", _raftAddress);
        request.ExtFields.Set("learner", "true");
        try
        {
            var answer = await _client.InvokeAsync(master, request, RequestTimeout, stopping).ConfigureAwait(false);
            string masterRaft = answer.ExtFieldsOrNull?[LeaderPeerAddressField] ?? "";
            LogMessages.JoinAnswered(_logger, _log.SelfId, _brokerName, answer.Code, answer.Remark ?? "", masterRaft.Length > 0 ? masterRaft : "not named");
            if (masterRaft.Length > 0 && _log.UsePeerAddressAsync(ClassicReplication.MasterId, masterRaft) is { } dialing) await dialing.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RemotingException or FormatException)
        {
            LogMessages.JoinFailed(_logger, _log.SelfId, _brokerName, master, ex.Message);
        }
    }

    /// <summary>Broker id 0 of this brokerName in the first name server that knows it.</summary>
    private async Task<string?> FindMasterAsync(CancellationToken stopping)
    {
        foreach (string nameServer in _nameServers)
        {
            try
            {
                var response = await _client.InvokeAsync(nameServer, RemotingCommand.CreateRequest(RequestCode.GetBrokerClusterInfo),
                    RequestTimeout, stopping).ConfigureAwait(false);
                if (response.Code != ResponseCode.Success) continue;
                var info = ProtocolJson.Decode<ClusterInfo>(response.Body.Span);
                if (info.BrokerAddrTable.TryGetValue(_brokerName, out var group) && group.MasterAddress() is { } address) return address;
            }
            catch (Exception ex) when (ex is RemotingException or BodyFormatException)
            {
                // The next name server may know.
            }
        }
        return null;
    }
}
