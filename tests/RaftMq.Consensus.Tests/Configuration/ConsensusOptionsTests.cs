using RaftMq.Consensus.Configuration;
using RaftMq.Foundation.Configuration;

namespace RaftMq.Consensus.Tests.Configuration;

public class ConsensusOptionsTests
{
    // distribution/conf/dledger/broker-n0.conf as shipped with RocketMQ (values restated).
    private const string SampleN0 = """
        brokerClusterName = RaftCluster
        brokerName=RaftNode00
        listenPort=30911
        namesrvAddr=127.0.0.1:9876
        storePathRootDir=/tmp/rmqstore/node00
        storePathCommitLog=/tmp/rmqstore/node00/commitlog
        enableDLegerCommitLog=true
        dLegerGroup=RaftNode00
        dLegerPeers=n0-127.0.0.1:40911;n1-127.0.0.1:40912;n2-127.0.0.1:40913
        ## must be unique
        dLegerSelfId=n0
        sendMessageThreadPoolNums=16
        """;

    private const string File = "/etc/raftmq/broker-n0.conf";

    private static ConsensusOptions Load(string text) => ConsensusOptions.FromProperties(PropertiesFile.Parse(text, File));

    private static ConfigException Fails(string text) => Assert.Throws<ConfigException>(() => Load(text));

    private static string With(string key, string value) =>
        string.Join('\n', SampleN0.Split('\n').Where(line => !line.StartsWith(key + "=", StringComparison.Ordinal))) + $"\n{key}={value}";

    [Fact]
    public void The_rocketmq_sample_parses_with_documented_defaults()
    {
        var options = Load(SampleN0);
        Assert.Equal("RaftNode00", options.Group);
        Assert.Equal("n0", options.SelfId);
        Assert.Equal(["n0", "n1", "n2"], options.Peers.Ids);
        Assert.Null(options.PreferredLeaderId);
        Assert.Equal("/tmp/rmqstore/node00", options.StorePathRootDir);
        Assert.Equal(Path.Combine("/tmp/rmqstore/node00", "dledger-n0"), options.ConsensusStoreDir);
        Assert.Equal(Path.Combine("/tmp/rmqstore/node00", "dledger-n0", "data"), options.DataStorePath);
        Assert.Equal(FlushDiskType.SyncFlush, options.FlushDiskType);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.FlushInterval);
        Assert.Equal(1L << 30, options.DataFileSizeBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.TickInterval);
        Assert.Equal((10, 1), (options.ElectionTicks, options.HeartbeatTicks));
        Assert.Equal(72, options.FileReservedHours);
        Assert.Equal([4], options.DeleteWhenHours);
        Assert.Equal(75, options.DiskMaxUsedSpaceRatio);
        Assert.Equal(File, options.SourceFile);
    }

    [Fact]
    public void Keys_that_consensus_does_not_honour_stay_unread_for_the_unknown_key_warning()
    {
        var file = PropertiesFile.Parse(SampleN0, File);
        ConsensusOptions.FromProperties(file);
        Assert.Contains("brokerName", file.UnreadEntries().Select(e => e.Key));
        Assert.DoesNotContain("dLegerPeers", file.UnreadEntries().Select(e => e.Key));
    }

    [Fact]
    public void All_optional_keys_are_honoured()
    {
        var options = Load(SampleN0 + """

            preferredLeaderId=n2
            storePathDLedgerCommitLog=/data/dledger
            flushDiskType=ASYNC_FLUSH
            flushIntervalCommitLog=250
            mappedFileSizeCommitLog=1048576
            raftTickMs=20
            raftElectionTicks=15
            raftHeartbeatTicks=2
            fileReservedTime=48
            deleteWhen=04;16
            diskMaxUsedSpaceRatio=88
            """);
        Assert.Equal("n2", options.PreferredLeaderId);
        Assert.Equal("/data/dledger", options.DataStorePath);
        Assert.Equal(FlushDiskType.AsyncFlush, options.FlushDiskType);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.FlushInterval);
        Assert.Equal(1 << 20, options.DataFileSizeBytes);
        Assert.Equal((TimeSpan.FromMilliseconds(20), 15, 2), (options.TickInterval, options.ElectionTicks, options.HeartbeatTicks));
        Assert.Equal(TimeSpan.FromMilliseconds(40), options.HeartbeatInterval);
        Assert.Equal(48, options.FileReservedHours);
        Assert.Equal([4, 16], options.DeleteWhenHours);
        Assert.Equal(88, options.DiskMaxUsedSpaceRatio);
    }

    [Fact]
    public void DLedger_timing_keys_map_to_ticks_of_one_heartbeat()
    {
        var options = Load(SampleN0 + "\nheartBeatTimeIntervalMs=100\nmaxHeartBeatLeak=4");
        Assert.Equal((TimeSpan.FromMilliseconds(100), 4, 1), (options.TickInterval, options.ElectionTicks, options.HeartbeatTicks));
        var defaults = Load(SampleN0 + "\nmaxHeartBeatLeak=3");
        Assert.Equal(TimeSpan.FromMilliseconds(2000), defaults.TickInterval);
    }

    [Fact]
    public void Flow_control_keys_reach_the_core_and_DLedger_batch_push_size_means_the_append_size()
    {
        var defaults = Load(SampleN0).ToRaftOptions();
        Assert.Equal((256, 8L << 20, 1L << 20), (defaults.MaxInflightAppends, defaults.MaxInflightBytes, defaults.MaxAppendBytes));

        var ours = Load(SampleN0 + "\nraftMaxInflightAppends=64\nraftMaxInflightBytes=4194304\nraftMaxAppendBytes=262144").ToRaftOptions();
        Assert.Equal((64, 4L << 20, 256L << 10), (ours.MaxInflightAppends, ours.MaxInflightBytes, ours.MaxAppendBytes));

        var dledger = Load(SampleN0 + "\nmaxBatchPushSize=4096");
        Assert.Equal(4096, dledger.MaxAppendBytes);

        var error = Fails(SampleN0 + "\nraftMaxAppendBytes=2097152\nraftMaxInflightBytes=1048576");
        Assert.Equal(("raftMaxInflightBytes", "1048576"), (error.Key, error.Value));
    }

    [Fact]
    public void Catch_up_pacing_keys_reach_the_core_per_tick_and_are_range_checked()
    {
        var defaults = Load(SampleN0).ToRaftOptions();
        Assert.Equal((3, (10L << 20) / 20), (defaults.CatchUpRateMultiplier, defaults.MinCatchUpBytesPerTick)); // 50 ms ticks

        var tuned = Load(SampleN0 + "\nraftCatchUpRateMultiplier=0\nraftCatchUpMinBytesPerSecond=2000\nraftTickMs=100").ToRaftOptions();
        Assert.Equal((0, 200L), (tuned.CatchUpRateMultiplier, tuned.MinCatchUpBytesPerTick));

        var error = Fails(SampleN0 + "\nraftCatchUpRateMultiplier=-1");
        Assert.Equal(("raftCatchUpRateMultiplier", "-1"), (error.Key, error.Value));
    }

    [Fact]
    public void Mixing_the_two_timing_schemes_is_refused()
    {
        var error = Fails(SampleN0 + "\nraftTickMs=20\nheartBeatTimeIntervalMs=100");
        Assert.Equal("heartBeatTimeIntervalMs", error.Key);
    }

    [Fact]
    public void A_self_id_outside_the_peers_names_key_value_file_and_line()
    {
        var error = Fails(With("dLegerSelfId", "n5"));
        Assert.Equal(("dLegerSelfId", "n5", File), (error.Key, error.Value, error.FilePath));
        Assert.Equal(12, error.LineNumber); // the original line was removed and the new one appended
        Assert.Contains($"{File}:12: dLegerSelfId=n5: is not one of the peers", error.Message);
    }

    [Theory]
    [InlineData("dLegerPeers", "n0-127.0.0.1:40911;n1-127.0.0.1:99999", "port '99999'")]
    [InlineData("dLegerPeers", "n0-127.0.0.1:40911;n0-127.0.0.1:40912", "'n0' appears more than once")]
    [InlineData("flushDiskType", "SYNC", "expected one of SYNC_FLUSH, ASYNC_FLUSH")]
    [InlineData("preferredLeaderId", "n7", "is not one of the peers")]
    [InlineData("preferredLeaderId", "n1;n2", "only one preferred leader")]
    [InlineData("raftElectionTicks", "1", "between 2 and")]
    [InlineData("deleteWhen", "25", "hours of the day")]
    [InlineData("diskMaxUsedSpaceRatio", "99", "between 10 and 95")]
    [InlineData("mappedFileSizeCommitLog", "100", "between 4096 and")]
    [InlineData("flushIntervalMs", "0", "between 1 and 60000")]
    [InlineData("dLegerGroup", "", "must not be empty")]
    public void Each_invalid_value_names_key_value_and_file(string key, string value, string reason)
    {
        var error = Fails(With(key, value));
        Assert.Equal((key, value, File), (error.Key, error.Value, error.FilePath));
        Assert.NotNull(error.LineNumber);
        Assert.Contains($"{key}={value}", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_store_root_that_is_a_file_or_lies_below_one_is_refused_naming_the_key()
    {
        string file = Path.GetTempFileName();
        try
        {
            var itself = Fails(With("storePathRootDir", file));
            var below = Fails(With("storePathRootDir", file + "/store"));

            Assert.Equal(("storePathRootDir", file), (itself.Key, itself.Value));
            Assert.Contains("is a file, not a directory", itself.Message);
            Assert.Equal("storePathRootDir", below.Key);
            Assert.Contains($"cannot be created: {file} is a file", below.Message);
        }
        finally
        {
            System.IO.File.Delete(file);
        }
    }

    [Fact]
    public void Election_ticks_must_exceed_heartbeat_ticks()
    {
        var error = Fails(SampleN0 + "\nraftElectionTicks=3\nraftHeartbeatTicks=3");
        Assert.Equal(("raftElectionTicks", "3"), (error.Key, error.Value));
    }

    [Fact]
    public void A_malformed_line_fails_before_any_key_is_read()
    {
        var error = Assert.Throws<ConfigException>(() => PropertiesFile.Parse(SampleN0 + "\ndLegerSelfId n0", File));
        Assert.Equal(File, error.FilePath);
        Assert.Equal(13, error.LineNumber);
        Assert.Contains($"{File}:13: 'dLegerSelfId n0': malformed line", error.Message);
    }

    [Fact]
    public void A_missing_required_key_says_so()
    {
        var error = Fails(string.Join('\n', SampleN0.Split('\n').Where(l => !l.StartsWith("dLegerPeers", StringComparison.Ordinal))));
        Assert.Equal("dLegerPeers", error.Key);
        Assert.Null(error.Value);
        Assert.Contains("required", error.Message);
    }

    [Fact]
    public void Options_built_in_code_are_validated_with_the_key_names()
    {
        var options = Load(SampleN0) with { SelfId = "n9", SourceFile = null };
        var error = Assert.Throws<ConfigException>(options.Validate);
        Assert.Equal(("dLegerSelfId", "n9"), (error.Key, error.Value));
        Assert.Null(error.FilePath);
    }

    [Fact]
    public void Core_and_transport_options_derive_from_the_consensus_options()
    {
        var options = Load(SampleN0 + "\npreferredLeaderId=n1");
        var raft = options.ToRaftOptions();
        raft.Validate();
        Assert.Equal(("n0", "n1", 10, 1), (raft.SelfId, raft.PreferredLeaderId, raft.ElectionTicks, raft.HeartbeatTicks));
        Assert.Equal(["n0", "n1", "n2"], raft.Peers);

        var transport = RaftMq.Consensus.Transport.PeerTransportOptions.For(options);
        transport.Validate();
        Assert.Equal(("RaftNode00", "n0"), (transport.GroupName, transport.SelfId));
        Assert.Same(options.Peers, transport.Peers);
    }

    [Fact]
    public void A_leading_tilde_in_store_paths_means_the_home_directory()
    {
        var options = Load(With("storePathRootDir", "~/rmq"));
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, "rmq", "dledger-n0"), options.ConsensusStoreDir);
        Assert.Equal(Path.Combine(home, "store"), ConsensusOptions.DefaultStorePathRootDir);
    }
}
