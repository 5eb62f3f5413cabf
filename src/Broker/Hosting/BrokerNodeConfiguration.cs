using RaftMq.Broker.Forwarding;
using RaftMq.Broker.Registration;
using RaftMq.Broker.Store;
using RaftMq.Consensus.Configuration;
using RaftMq.Foundation.Configuration;
using RaftMq.Protocol.Acl;

namespace RaftMq.Broker.Hosting;

/// <summary>
/// Everything read from one broker.conf, read and validated at once: the broker's options, the consensus options,
/// the message store, the name-server registrar and forwarding, and the file itself (its unread entries are warned
/// about once the node started). Errors name the key, the value and the file.
/// </summary>
public sealed record BrokerNodeConfiguration(
    PropertiesFile File,
    BrokerOptions Broker,
    ConsensusOptions Consensus,
    MessageStoreOptions Store,
    NameServerRegistrarOptions Registrar,
    ForwardingOptions Forwarding)
{
    /// <summary>Loads and validates a broker.conf.</summary>
    public static BrokerNodeConfiguration Load(string path) => FromFile(PropertiesFile.Load(path));

    public static BrokerNodeConfiguration FromFile(PropertiesFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var broker = BrokerOptions.FromProperties(file);
        var consensus = ConsensusOptions.FromProperties(file);
        var registrar = RegistrarOptions(file, broker);
        var store = new MessageStoreOptions
        {
            StoreDirectory = consensus.StorePathRootDir,
            MaxMessageSizeBytes = broker.MaxMessageSizeBytes,
            DefaultTopicQueueNums = broker.DefaultTopicQueueNums,
            MaxHashSlotNum = broker.MaxHashSlotNum,
            MaxIndexNum = broker.MaxIndexNum,
        };
        store.Validate();
        return new BrokerNodeConfiguration(file, broker, consensus, store, registrar, ForwardingOptions.FromProperties(file));
    }

    private static NameServerRegistrarOptions RegistrarOptions(PropertiesFile file, BrokerOptions broker)
    {
        if (broker.NameServerAddresses.Count == 0)
            throw file.Error(BrokerKeys.NameServerAddress, "at least one name server address (host:port) is required");
        var options = new NameServerRegistrarOptions
        {
            NameServerAddresses = broker.NameServerAddresses,
            RegisterPeriod = broker.RegisterNameServerPeriod,
            RequestTimeout = TimeSpan.FromMilliseconds(file.GetInt32(NameServerRegistrarOptions.TimeoutKey, 6000, 100, 60_000)),
            SourceFile = file.FilePath,
            Credentials = ReadCredentials(file),
            Tls = broker.Tls.Client,
        };
        options.Validate();
        return options;
    }

    /// <summary>broker.conf <c>accessKey</c>/<c>secretKey</c>: both or neither.</summary>
    private static AclCredentials? ReadCredentials(PropertiesFile file)
    {
        string? accessKey = file.GetString(BrokerKeys.AccessKey), secretKey = file.GetString(BrokerKeys.SecretKey);
        if (accessKey is null && secretKey is null) return null;
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
            throw file.Error(accessKey is null ? BrokerKeys.AccessKey : BrokerKeys.SecretKey, "give both accessKey and secretKey, or neither");
        return new AclCredentials(accessKey, secretKey);
    }
}
