using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using RaftMq.Broker.Processors;
using RaftMq.Consensus.Configuration;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Hosting;

/// <summary>
/// GET_BROKER_CONFIG (26): the node's settings in force as <c>key=value</c> lines. UPDATE_BROKER_CONFIG (25): a body of
/// <c>key=value</c> lines changing run-time settings of this node only (<see cref="RuntimeSettings"/>), until it restarts.
/// Every other key is refused with the reason, and a request with one refused key changes nothing.
/// </summary>
public sealed class BrokerConfigProcessor(BrokerNodeConfiguration config, RuntimeSettings runtime, ILogger logger) : IRemotingRequestHandler
{
    /// <summary>Keys that decide what the leader writes to the log or how the group replicates: replicas must agree.</summary>
    private static readonly HashSet<string> GroupWideKeys = new(StringComparer.Ordinal)
    {
        BrokerKeys.ClusterName, BrokerKeys.BrokerName, BrokerKeys.AutoCreateTopicEnable, BrokerKeys.EnablePropertyFilter, BrokerKeys.TraceTopicEnable,
        BrokerKeys.BrokerTopicEnable, BrokerKeys.ClusterTopicEnable,
        BrokerKeys.MsgTraceTopicName, BrokerKeys.DefaultTopicQueueNums, BrokerKeys.MaxMessageSize, BrokerKeys.MessageDelayLevel,
        BrokerKeys.MaxReconsumeTimes, BrokerKeys.TransactionTimeOut, BrokerKeys.TransactionCheckInterval, BrokerKeys.TransactionCheckMax,
        BrokerKeys.AclEnable, BrokerKeys.AclFile, ConsensusKeys.Group, ConsensusKeys.Peers, ConsensusKeys.PeerSecret, ConsensusKeys.FlushDiskType,
        ConsensusKeys.MappedFileSizeCommitLog, ConsensusKeys.RaftTickMs, ConsensusKeys.RaftElectionTicks, ConsensusKeys.RaftHeartbeatTicks,
        ConsensusKeys.PreferredLeaderId,
    };

    /// <summary>Keys read at start that <see cref="EffectiveBrokerConfig"/> does not list (secrets, aliases, compatibility keys).</summary>
    private static readonly HashSet<string> StartOnlyKeys =
    [
        BrokerKeys.AccessKey, BrokerKeys.SecretKey, ConsensusKeys.StorePathDLedgerCommitLog, ConsensusKeys.FlushIntervalCommitLog,
        ConsensusKeys.MapedFileSizeCommitLog, ConsensusKeys.HeartBeatTimeIntervalMs, ConsensusKeys.MaxHeartBeatLeak, ConsensusKeys.MaxBatchPushSize,
        ConsensusKeys.RaftPeerDialOverrides, BrokerKeys.EnableDLegerCommitLog, .. BrokerKeys.AcceptedWithoutEffect,
    ];

    public static IReadOnlyList<int> Codes { get; } = [RequestCode.UpdateBrokerConfig, RequestCode.GetBrokerConfig];

    public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<RemotingCommand?>(request.Code == RequestCode.GetBrokerConfig ? Current(request) : Update(context, request));

    private RemotingCommand Current(RemotingCommand request)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in EffectiveBrokerConfig.Properties(config, runtime)) text.Append(key).Append('=').Append(value).Append('\n');
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = Encoding.UTF8.GetBytes(text.ToString());
        return response;
    }

    private RemotingCommand Update(RemotingContext context, RemotingCommand request)
    {
        var changes = new List<Action>();
        var described = new List<(string Key, string Previous, string Value)>();
        foreach (string line in Encoding.UTF8.GetString(request.Body.Span).Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '#' or '!') continue;
            int separator = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0) return request.CreateResponse(ResponseCode.SystemError, $"'{trimmed}' is not a key=value line; nothing was changed");
            string key = trimmed[..separator].Trim();
            string value = trimmed[(separator + 1)..].Trim();
            if (Prepare(key, value, out var apply, out string previous) is { } refusal)
            {
                return request.CreateResponse(ResponseCode.SystemError, $"{key} cannot be changed at run time: {refusal}; nothing was changed");
            }
            changes.Add(apply!);
            described.Add((key, previous, value));
        }
        if (changes.Count == 0) return request.CreateResponse(ResponseCode.SystemError, "the request names no key=value to change");
        foreach (var apply in changes) apply();
        foreach (var (key, previous, value) in described) LogMessages.RuntimeSettingChanged(logger, key, previous, value, context.RemoteAddress);
        return request.CreateResponse(ResponseCode.Success);
    }

    /// <summary>Null and the change to make, or why the key cannot change now.</summary>
    private string? Prepare(string key, string value, out Action? apply, out string previous)
    {
        apply = null;
        previous = "";
        switch (key)
        {
            case BrokerKeys.LongPollingMaxSuspendMs:
                if (!TryInt(value, 100, 29_000, out int millis)) return $"'{value}' is not a whole number of ms between 100 and 29000";
                previous = ((long)runtime.LongPollingMaxSuspend.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
                apply = () => runtime.LongPollingMaxSuspend = TimeSpan.FromMilliseconds(millis);
                return null;
            case BrokerKeys.LongPollingMaxParked:
                if (!TryInt(value, 0, 1_000_000, out int parked)) return $"'{value}' is not a whole number between 0 and 1000000";
                previous = runtime.LongPollingMaxParked.ToString(CultureInfo.InvariantCulture);
                apply = () => runtime.LongPollingMaxParked = parked;
                return null;
        }
        if (GroupWideKeys.Contains(key))
        {
            return "it must agree on every replica of the group (it decides what the leader writes to the log or how the group replicates); "
                + "change it in every node's broker.conf and restart the nodes one at a time";
        }
        return EffectiveBrokerConfig.Properties(config, runtime).ContainsKey(key) || StartOnlyKeys.Contains(key) || key.StartsWith("tls", StringComparison.Ordinal)
            ? "it needs a restart (read once at start); change it in broker.conf and restart the node"
            : $"unknown key (the run-time keys are {BrokerKeys.LongPollingMaxSuspendMs} and {BrokerKeys.LongPollingMaxParked})";
    }

    private static bool TryInt(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
}
