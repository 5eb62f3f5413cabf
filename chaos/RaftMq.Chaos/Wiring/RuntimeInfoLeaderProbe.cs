using System.Globalization;
using RaftMq.Chaos.Cluster;
using RaftMq.Chaos.Nemesis;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Chaos.Wiring;

/// <summary>What one broker said about its Raft role (GET_BROKER_RUNTIME_INFO), or why it said nothing.</summary>
public sealed record NodeRuntimeState(string Node, string? RaftRole, long Term, bool Writable, string? Error)
{
    public const string LeaderRole = "LEADER";

    public bool IsWritableLeader => Error is null && Writable && RaftRole == LeaderRole;

    public override string ToString() =>
        Error is null ? string.Create(CultureInfo.InvariantCulture, $"{Node}={RaftRole}/t{Term}{(Writable ? "/w" : "")}") : $"{Node}=({Error})";
}

/// <summary>
/// Finds the leader by asking every broker for its runtime info directly (the name server's brokerId 0 entry can
/// lag a failover or name a killed node). The leader is the writable node claiming LEADER with the highest term; a
/// paused or partitioned old leader either does not answer within the timeout or has a lower term.
/// </summary>
public sealed class RuntimeInfoLeaderProbe : ILeaderProbe, IAsyncDisposable
{
    private readonly ProxiedClusterLayout _layout;
    private readonly TimeSpan _timeout;
    private readonly RemotingClient _remoting;

    public RuntimeInfoLeaderProbe(ProxiedClusterLayout layout, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        _layout = layout;
        _timeout = timeout ?? TimeSpan.FromSeconds(1);
        _remoting = new RemotingClient(new RemotingClientOptions { ConnectTimeout = _timeout });
    }

    public async Task<string?> FindLeaderAsync(CancellationToken cancellationToken) =>
        Leader(await ProbeAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>The writable leader with the highest term among the answers, or null.</summary>
    public static string? Leader(IEnumerable<NodeRuntimeState> states) =>
        states.Where(s => s.IsWritableLeader).OrderByDescending(s => s.Term).Select(s => s.Node).FirstOrDefault();

    /// <summary>Every node's answer, in node order; probes run in parallel.</summary>
    public async Task<IReadOnlyList<NodeRuntimeState>> ProbeAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(_layout.Nodes.Select(node => ProbeAsync(node, cancellationToken))).ConfigureAwait(false);

    /// <summary>Polls until a writable leader answers or <paramref name="deadline"/> passes; returns it or null.</summary>
    public async Task<string?> WaitForLeaderAsync(TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeUp.CancelAfter(deadline);
        while (!timeUp.IsCancellationRequested)
        {
            if (await FindLeaderAsync(cancellationToken).ConfigureAwait(false) is { } leader)
            {
                return leader;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), timeUp.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        return null;
    }

    public ValueTask DisposeAsync() => _remoting.DisposeAsync();

    private async Task<NodeRuntimeState> ProbeAsync(NodeLayout node, CancellationToken cancellationToken)
    {
        try
        {
            var request = RemotingCommand.CreateRequest(RequestCode.GetBrokerRuntimeInfo);
            var response = await _remoting.InvokeAsync(node.BrokerAddress, request, _timeout, cancellationToken).ConfigureAwait(false);
            if (response.Code != ResponseCode.Success)
            {
                return new NodeRuntimeState(node.Id, null, 0, false, $"code {response.Code}: {response.Remark}");
            }

            var table = ProtocolJson.Decode<KvTable>(response.Body.Span).Table;
            var term = long.TryParse(table.GetValueOrDefault("raftTerm"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : 0;
            return new NodeRuntimeState(node.Id, table.GetValueOrDefault("raftRole"), term, table.GetValueOrDefault("writable") == "true", null);
        }
        catch (Exception e) when (e is RemotingException or RemotingProtocolException or System.Text.Json.JsonException)
        {
            return new NodeRuntimeState(node.Id, null, 0, false, e.GetType().Name);
        }
    }
}
