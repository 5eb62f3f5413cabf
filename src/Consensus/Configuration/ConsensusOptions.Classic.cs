using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RaftMq.Consensus.Core;
using RaftMq.Foundation.Configuration;
using RaftMq.Foundation.Networking;

namespace RaftMq.Consensus.Configuration;

/// <summary>
/// RocketMQ's classic master/slave replication (<c>brokerRole</c>, <c>brokerId</c>, no <c>dLegerPeers</c>) run on the
/// Raft log: the master (broker id 0, member <c>n0</c>) is the group's only voter, so it commits alone and never
/// loses its role; each slave (id K, member <c>nK</c>) is a learner the master adds to the replicated configuration
/// when the slave asks (docs/operations/master-slave.md).
/// </summary>
/// <param name="BrokerId">The conf's <c>brokerId</c>: 0 for the master, above 0 for a slave.</param>
/// <param name="Master">The master's Raft endpoint when known at start (the master itself, or a slave's
/// <c>haMasterAddress</c>); a slave without it learns the address when it joins.</param>
public sealed record ClassicReplication(long BrokerId, DLedgerPeer? Master)
{
    /// <summary>The master's member id.</summary>
    public const string MasterId = "n0";

    public bool IsSlave => BrokerId > 0;

    /// <summary>Member id of the broker with <paramref name="brokerId"/> (<c>n0</c> = the master).</summary>
    public static string MemberId(long brokerId) => "n" + brokerId.ToString(CultureInfo.InvariantCulture);
}

public sealed partial record ConsensusOptions
{
    /// <summary>Classic master/slave replication; null in DLedger mode (<c>dLegerPeers</c>).</summary>
    public ClassicReplication? Classic { get; init; }

    /// <summary>The bootstrap configuration: in classic mode the master as only voter (with its address, so that a
    /// configuration entry tells slaves where it is) and this node as a learner when it is a slave; else
    /// <c>dLegerPeers</c> as voters.</summary>
    private Membership? BootstrapMembership()
    {
        if (Classic is not { } classic) return null;
        var self = Peers.Find(SelfId)!;
        var master = new Member(ClassicReplication.MasterId, classic.IsSlave ? classic.Master?.Endpoint ?? "" : self.Endpoint);
        return new Membership([master], classic.IsSlave ? [new Member(SelfId, self.Endpoint)] : []);
    }

    /// <summary>
    /// True when a broker.conf asks for classic master/slave replication: no dLeger key and
    /// <c>enableDLegerCommitLog</c> absent or false. Contradictory combinations are errors naming the key.
    /// </summary>
    public static bool IsClassicMode(PropertiesFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        string? dledgerKey = new[] { ConsensusKeys.Peers, ConsensusKeys.Group, ConsensusKeys.SelfId }.FirstOrDefault(file.Contains);
        bool? enabled = file.Contains(ConsensusKeys.EnableDLegerCommitLog) ? file.GetBoolean(ConsensusKeys.EnableDLegerCommitLog, false) : null;
        if (enabled == false && dledgerKey is not null)
            throw file.Error(ConsensusKeys.EnableDLegerCommitLog,
                $"false means classic master/slave replication (brokerRole, brokerId), but {dledgerKey} is set; remove the dLeger* keys, or set {ConsensusKeys.EnableDLegerCommitLog}=true for a DLedger group");
        bool classic = enabled != true && dledgerKey is null;
        if (!classic && file.Contains(ConsensusKeys.BrokerRole))
            throw file.Error(ConsensusKeys.BrokerRole,
                "is the classic master/slave mode, where the master is fixed; a DLedger group (dLegerPeers / enableDLegerCommitLog=true) elects its master. Remove brokerRole, or remove the dLeger* keys and enableDLegerCommitLog");
        return classic;
    }

    /// <summary>The consensus options of a classic broker.conf: group = brokerName, member id n{brokerId}, this node's
    /// Raft endpoint = brokerIP2 (else brokerIP1) : haListenPort (default listenPort + 1, as RocketMQ).</summary>
    private static ConsensusOptions ClassicBase(PropertiesFile file)
    {
        long brokerId = file.GetInt64(ConsensusKeys.BrokerId, 0, 0, long.MaxValue);
        string role = file.GetChoice(ConsensusKeys.BrokerRole, "ASYNC_MASTER",
            ("ASYNC_MASTER", "ASYNC_MASTER"), ("SYNC_MASTER", "SYNC_MASTER"), ("SLAVE", "SLAVE"));
        bool slave = role == "SLAVE";
        if (slave && brokerId == 0)
            throw file.Error(ConsensusKeys.BrokerId, "a SLAVE needs a brokerId above 0 (0 is the master's); give each slave of the group its own id, e.g. 1");
        if (!slave && brokerId != 0)
            throw file.Error(ConsensusKeys.BrokerId, $"a master ({role}) has brokerId 0; set brokerId=0, or brokerRole=SLAVE for a slave");
        int listenPort = file.GetInt32("listenPort", 10911, 0, IPEndPoint.MaxPort);
        int defaultHaPort = listenPort is > 0 and < IPEndPoint.MaxPort ? listenPort + 1 : 10912;
        int haPort = file.GetInt32(ConsensusKeys.HaListenPort, defaultHaPort, 1, IPEndPoint.MaxPort);
        string host = ReadHaHost(file);
        string selfId = ClassicReplication.MemberId(brokerId);
        var self = new DLedgerPeer(selfId, host, haPort);
        var master = slave ? ReadMasterAddress(file) : self;
        var peers = master is not null && slave ? DLedgerPeers.Parse($"{master};{self}") : DLedgerPeers.Parse(self.ToString());
        return new ConsensusOptions
        {
            Group = file.GetRequiredString("brokerName"),
            Peers = peers,
            SelfId = selfId,
            Classic = new ClassicReplication(brokerId, master),
        };
    }

    private static string ReadHaHost(PropertiesFile file)
    {
        string key = file.Contains(ConsensusKeys.BrokerIp2) ? ConsensusKeys.BrokerIp2 : "brokerIP1";
        string? text = file.GetString(key);
        if (string.IsNullOrEmpty(text)) return LocalAddress.FirstNonLoopbackIPv4().ToString();
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
            throw file.Error(key, "expected an IPv4 address");
        return address.ToString();
    }

    private static DLedgerPeer? ReadMasterAddress(PropertiesFile file)
    {
        string? text = NullIfEmpty(file.GetString(ConsensusKeys.HaMasterAddress)?.Trim());
        if (text is null) return null;
        try
        {
            return DLedgerPeers.Parse($"{ClassicReplication.MasterId}-{text}").Members[0];
        }
        catch (FormatException)
        {
            throw file.Error(ConsensusKeys.HaMasterAddress, "expected host:port, the master's haListenPort (its listenPort + 1 by default)");
        }
    }
}
