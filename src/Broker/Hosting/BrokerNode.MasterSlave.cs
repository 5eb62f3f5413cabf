using Microsoft.Extensions.Logging;
using RaftMq.Broker.MasterSlave;
using RaftMq.Broker.Processors.Send;
using RaftMq.Consensus;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Hosting;

/// <summary>Classic master/slave mode (brokerRole): a SYNC_MASTER's wait for its slaves, and a slave's joining.</summary>
public sealed partial class BrokerNode
{
    /// <summary>How often a slave that no master replicates to asks again.</summary>
    private static readonly TimeSpan SlaveJoinRetry = TimeSpan.FromSeconds(2);

    private ISlaveReplication? SyncMaster(IReplicatedLog log) => _config.Broker.Role == BrokerRole.SyncMaster
        ? new SyncMasterReplication(log, _config.Broker.SyncFlushTimeout, _config.Broker.HaSlaveFallbehindMaxBytes)
        : null;

    private void StartSlaveJoiner(IReplicatedLog log)
    {
        if (_config.Broker.Role != BrokerRole.Slave) return;
        var self = _config.Consensus.Peers.Find(_config.Consensus.SelfId)!;
        _slaveJoiner = new SlaveJoiner(log, _config.Broker.BrokerName, self.Endpoint, _config.Broker.NameServerAddresses,
            new RemotingClientOptions
            {
                ConnectTimeout = TimeSpan.FromSeconds(1),
                Tls = _config.Broker.Tls.Client,
                // A master with aclEnable checks the join (an admin request) against the broker's own accessKey/secretKey.
                RequestSigner = _config.Registrar.Credentials is { } credentials ? request => RaftMq.Protocol.Acl.AclSignature.Sign(request, credentials) : null,
            },
            SlaveJoinRetry,
            _loggers.CreateLogger("RaftMq.Broker.MasterSlave"));
        _slaveJoiner.Start();
    }
}
