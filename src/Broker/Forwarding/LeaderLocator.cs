using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Forwarding;

/// <summary>
/// Finds the client address of the group's Raft leader: the address the name servers hold as broker id 0 of this
/// broker name (a new leader registers there at once). The answer is kept for the leader id it was found for, and
/// dropped when that address turns out not to be the leader. An answer naming this node is stale (our own
/// registration as follower has not landed yet) and is asked again after a short pause.
/// </summary>
internal sealed class LeaderLocator
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

    private readonly RemotingClient _client;
    private readonly IReadOnlyList<string> _nameServers;
    private readonly string _brokerName;
    private readonly string _selfAddress;
    private readonly SemaphoreSlim _asking = new(1, 1);
    private KnownLeader? _known;

    public LeaderLocator(RemotingClient client, IReadOnlyList<string> nameServers, string brokerName, string selfAddress)
    {
        _client = client;
        _nameServers = nameServers;
        _brokerName = brokerName;
        _selfAddress = selfAddress;
    }

    /// <summary>The leader's client address, or null when none was found before <paramref name="deadline"/>
    /// (Environment.TickCount64 milliseconds).</summary>
    public async ValueTask<string?> ResolveAsync(string leaderId, long deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Volatile.Read(ref _known) is { } known && known.LeaderId == leaderId) return known.Address;
            long remaining = deadline - Environment.TickCount64;
            if (remaining <= 0 || _nameServers.Count == 0) return null;
            if (!await _asking.WaitAsync(TimeSpan.FromMilliseconds(remaining), cancellationToken).ConfigureAwait(false)) return null;
            try
            {
                if (Volatile.Read(ref _known) is { } found && found.LeaderId == leaderId) return found.Address;
                if (await AskNameServersAsync(deadline, cancellationToken).ConfigureAwait(false) is { } address)
                {
                    Volatile.Write(ref _known, new KnownLeader(leaderId, address));
                    return address;
                }
            }
            finally
            {
                _asking.Release();
            }
            long pause = Math.Min((long)RetryPause.TotalMilliseconds, deadline - Environment.TickCount64);
            if (pause <= 0) return null;
            await Task.Delay(TimeSpan.FromMilliseconds(pause), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Forgets <paramref name="address"/> as the leader's (it answered "not master" or refused connections).</summary>
    public void Forget(string address)
    {
        var known = Volatile.Read(ref _known);
        if (known is not null && known.Address == address) Interlocked.CompareExchange(ref _known, null, known);
    }

    private async Task<string?> AskNameServersAsync(long deadline, CancellationToken cancellationToken)
    {
        foreach (string nameServer in _nameServers)
        {
            long remaining = deadline - Environment.TickCount64;
            if (remaining <= 0) return null;
            try
            {
                var response = await _client.InvokeAsync(nameServer, RemotingCommand.CreateRequest(RequestCode.GetBrokerClusterInfo),
                    TimeSpan.FromMilliseconds(remaining), cancellationToken).ConfigureAwait(false);
                if (response.Code != ResponseCode.Success) continue;
                var info = ProtocolJson.Decode<ClusterInfo>(response.Body.Span);
                if (info.BrokerAddrTable.TryGetValue(_brokerName, out var group) && group.MasterAddress() is { } master
                    && master != _selfAddress)
                {
                    return master;
                }
            }
            catch (Exception ex) when (ex is RemotingException or BodyFormatException)
            {
                // The next name server may know; all of them failing means "not found yet".
            }
        }
        return null;
    }

    private sealed record KnownLeader(string LeaderId, string Address);
}
