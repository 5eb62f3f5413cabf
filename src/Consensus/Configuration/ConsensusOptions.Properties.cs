using System.Globalization;
using RaftMq.Foundation.Configuration;

namespace RaftMq.Consensus.Configuration;

public sealed partial record ConsensusOptions
{
    private const long MinDataFileSizeBytes = 4096;
    private const long MaxDataFileSizeBytes = 16L << 30;

    /// <summary>An Append must fit one peer frame (64 MiB) with room for its headers.</summary>
    private const long MaxAppendBytesLimit = 32L << 20;

    private static PeerSecret? ReadPeerSecret(PropertiesFile file)
    {
        string? secret = NullIfEmpty(file.GetString(ConsensusKeys.PeerSecret));
        if (secret is not null && System.Text.Encoding.UTF8.GetByteCount(secret) < 16)
        {
            throw file.Error(ConsensusKeys.PeerSecret, "must be at least 16 characters (or empty for no peer authentication)");
        }
        return secret is null ? null : new PeerSecret(secret);
    }

    /// <summary>
    /// Reads the consensus keys of a broker.conf and validates them. Timing comes either from our keys
    /// (<c>raftTickMs</c>, <c>raftElectionTicks</c>, <c>raftHeartbeatTicks</c>) or from DLedger's
    /// (<c>heartBeatTimeIntervalMs</c> = one tick = the heartbeat period, <c>maxHeartBeatLeak</c> = election
    /// ticks); mixing the two schemes is an error because the result would be ambiguous.
    /// </summary>
    public static ConsensusOptions FromProperties(PropertiesFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var identity = IsClassicMode(file)
            ? ClassicBase(file)
            : new ConsensusOptions
            {
                Group = file.GetRequiredString(ConsensusKeys.Group),
                Peers = ReadPeers(file),
                SelfId = file.GetRequiredString(ConsensusKeys.SelfId),
                PreferredLeaderId = ReadPreferredLeader(file),
                PeerDialOverrides = ReadDialOverrides(file),
            };
        var options = identity with
        {
            PeerSecret = ReadPeerSecret(file),
            StorePathRootDir = ExpandHome(file.GetString(ConsensusKeys.StorePathRootDir)) ?? DefaultStorePathRootDir,
            DataStorePathOverride = ExpandHome(NullIfEmpty(file.GetString(ConsensusKeys.StorePathDLedgerCommitLog))),
            FlushDiskType = file.GetChoice(ConsensusKeys.FlushDiskType, FlushDiskType.SyncFlush,
                ("SYNC_FLUSH", FlushDiskType.SyncFlush), ("ASYNC_FLUSH", FlushDiskType.AsyncFlush)),
            FlushInterval = TimeSpan.FromMilliseconds(file.GetInt32(FlushIntervalKey(file), 500, 1, 60_000)),
            DataFileSizeBytes = file.GetInt64(DataFileSizeKey(file), 1L << 30, MinDataFileSizeBytes, MaxDataFileSizeBytes),
            FileReservedHours = file.GetInt32(ConsensusKeys.FileReservedTime, 72, 1, 100_000),
            DeleteWhenHours = ReadDeleteWhen(file),
            DiskMaxUsedSpaceRatio = file.GetInt32(ConsensusKeys.DiskMaxUsedSpaceRatio, 75, 10, 95),
            MaxInflightAppends = file.GetInt32(ConsensusKeys.RaftMaxInflightAppends, 256, 1, 65536),
            MaxInflightBytes = file.GetInt64(ConsensusKeys.RaftMaxInflightBytes, 8L << 20, 1024, 1L << 30),
            MaxAppendBytes = file.GetInt64(AppendBytesKey(file), 1L << 20, 1024, MaxAppendBytesLimit),
            CatchUpRateMultiplier = file.GetInt32(ConsensusKeys.RaftCatchUpRateMultiplier, 3, 0, 1000),
            CatchUpMinBytesPerSecond = file.GetInt64(ConsensusKeys.RaftCatchUpMinBytesPerSecond, 10L << 20, 1024, 1L << 40),
            SourceFile = file.FilePath,
        };
        options = ReadTiming(file, options);
        options.Validate(file);
        return options;
    }

    private static DLedgerPeers ReadPeers(PropertiesFile file)
    {
        string text = file.GetRequiredString(ConsensusKeys.Peers);
        try
        {
            return DLedgerPeers.Parse(text);
        }
        catch (FormatException e)
        {
            throw file.Error(ConsensusKeys.Peers, e.Message, e);
        }
    }

    private static IReadOnlyList<DLedgerPeer> ReadDialOverrides(PropertiesFile file)
    {
        string? text = NullIfEmpty(file.GetString(ConsensusKeys.RaftPeerDialOverrides));
        if (text is null) return [];
        try
        {
            return DLedgerPeers.Parse(text).Members;
        }
        catch (FormatException e)
        {
            throw file.Error(ConsensusKeys.RaftPeerDialOverrides, e.Message, e);
        }
    }

    private static string? ReadPreferredLeader(PropertiesFile file)
    {
        string? id = NullIfEmpty(file.GetString(ConsensusKeys.PreferredLeaderId));
        if (id is not null && id.Contains(';'))
            throw file.Error(ConsensusKeys.PreferredLeaderId, "only one preferred leader id is supported");
        return id;
    }

    private static ConsensusOptions ReadTiming(PropertiesFile file, ConsensusOptions options)
    {
        bool ours = file.Contains(ConsensusKeys.RaftTickMs) | file.Contains(ConsensusKeys.RaftElectionTicks)
                    | file.Contains(ConsensusKeys.RaftHeartbeatTicks);
        bool dledger = file.Contains(ConsensusKeys.HeartBeatTimeIntervalMs) | file.Contains(ConsensusKeys.MaxHeartBeatLeak);
        if (ours && dledger)
        {
            string key = file.Contains(ConsensusKeys.HeartBeatTimeIntervalMs) ? ConsensusKeys.HeartBeatTimeIntervalMs : ConsensusKeys.MaxHeartBeatLeak;
            throw file.Error(key, $"DLedger timing keys cannot be combined with {ConsensusKeys.RaftTickMs}/{ConsensusKeys.RaftElectionTicks}/{ConsensusKeys.RaftHeartbeatTicks}; use one scheme");
        }
        if (dledger)
        {
            return options with
            {
                TickInterval = TimeSpan.FromMilliseconds(file.GetInt32(ConsensusKeys.HeartBeatTimeIntervalMs, 2000, 1, 10_000)),
                HeartbeatTicks = 1,
                ElectionTicks = file.GetInt32(ConsensusKeys.MaxHeartBeatLeak, 3, 2, 10_000),
            };
        }
        return options with
        {
            TickInterval = TimeSpan.FromMilliseconds(file.GetInt32(ConsensusKeys.RaftTickMs, 50, 1, 10_000)),
            ElectionTicks = file.GetInt32(ConsensusKeys.RaftElectionTicks, 10, 2, 10_000),
            HeartbeatTicks = file.GetInt32(ConsensusKeys.RaftHeartbeatTicks, 1, 1, 10_000),
        };
    }

    private static IReadOnlyList<int> ReadDeleteWhen(PropertiesFile file)
    {
        string text = file.GetString(ConsensusKeys.DeleteWhen, "04");
        var hours = new List<int>();
        foreach (string part in text.Split(';', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int hour) || hour > 23)
                throw file.Error(ConsensusKeys.DeleteWhen, "expected hours of the day 0-23 separated by ';' (e.g. 04 or 04;16)");
            hours.Add(hour);
        }
        return hours;
    }

    /// <summary>Our name wins when both are present, and is the one an error would name.</summary>
    private static string FlushIntervalKey(PropertiesFile? file) =>
        file is not null && !file.Contains(ConsensusKeys.FlushIntervalMs) && file.Contains(ConsensusKeys.FlushIntervalCommitLog)
            ? ConsensusKeys.FlushIntervalCommitLog
            : ConsensusKeys.FlushIntervalMs;

    private static string AppendBytesKey(PropertiesFile? file) =>
        file is not null && !file.Contains(ConsensusKeys.RaftMaxAppendBytes) && file.Contains(ConsensusKeys.MaxBatchPushSize)
            ? ConsensusKeys.MaxBatchPushSize
            : ConsensusKeys.RaftMaxAppendBytes;

    private static string DataFileSizeKey(PropertiesFile? file) =>
        file is not null && !file.Contains(ConsensusKeys.MappedFileSizeCommitLog) && file.Contains(ConsensusKeys.MapedFileSizeCommitLog)
            ? ConsensusKeys.MapedFileSizeCommitLog
            : ConsensusKeys.MappedFileSizeCommitLog;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Java does not expand <c>~</c>; operators nevertheless write it, so a leading <c>~/</c> means home.</summary>
    private static string? ExpandHome(string? path)
    {
        if (path is null || !(path == "~" || path.StartsWith("~/", StringComparison.Ordinal))) return path;
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return path.Length == 1 ? home : Path.Combine(home, path[2..]);
    }
}
