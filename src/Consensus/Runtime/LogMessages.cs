using Microsoft.Extensions.Logging;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>Runtime log events, ids 1000-1299 (docs/conventions.md).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "Raft node {SelfId} of group {Group} started: log [{FirstIndex}, {LastIndex}], term {Term}, commit hint {Commit}, state machine applied {Applied}, {FlushDiskType}")]
    public static partial void NodeStarted(ILogger logger, string selfId, string group, long firstIndex, long lastIndex, long term, long commit, long applied, string flushDiskType);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Raft node {SelfId} stopped at term {Term}, commit {Commit}, applied {Applied}")]
    public static partial void NodeStopped(ILogger logger, string selfId, long term, long commit, long applied);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Critical,
        Message = "Raft node {SelfId}: its own log at {StorePath} is CORRUPT, so it will neither vote nor lead ({Reason}). See docs/operations/corrupt-log.md")]
    public static partial void RefusingToLead(ILogger logger, string selfId, string storePath, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Critical,
        Message = "Raft node {SelfId} HALTED: it stopped taking part in the group because its log or the consensus state cannot be trusted ({Reason})")]
    public static partial void Halted(ILogger logger, Exception exception, string selfId, string reason);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information,
        Message = "Raft node {SelfId}: {PreviousRole} -> {Role} at term {Term}, leader {Leader}: {Reason}")]
    public static partial void RoleChanged(ILogger logger, string selfId, RaftRole previousRole, RaftRole role, long term, string leader, string reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information,
        Message = "Raft node {SelfId}: term {PreviousTerm} -> {Term} as {Role}, leader {Leader}: {Reason}")]
    public static partial void TermChanged(ILogger logger, string selfId, long previousTerm, long term, RaftRole role, string leader, string reason);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information,
        Message = "Raft node {SelfId}: leader {PreviousLeader} -> {Leader} at term {Term}: {Reason}")]
    public static partial void LeaderChanged(ILogger logger, string selfId, string previousLeader, string leader, long term, string reason);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Raft node {SelfId} dropped an undecodable message from {From}: {Reason}")]
    public static partial void MessageUndecodable(ILogger logger, string selfId, string from, string reason);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Warning,
        Message = "Raft node {SelfId} dropped a message claiming to be from {Claimed} that arrived on the connection of {From}")]
    public static partial void MessageSenderMismatch(ILogger logger, string selfId, string claimed, string from);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Error, Message = "Raft node {SelfId} cannot send a {Type} message to {To}: {Reason}")]
    public static partial void MessageNotSendable(ILogger logger, string selfId, MessageType type, string to, string reason);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Information,
        Message = "Raft node {SelfId}: state machine (applied {Applied}) is behind the log's first entry {FirstIndex}; restoring it from the snapshot at index {SnapshotIndex}")]
    public static partial void StateMachineRestoredAtStart(ILogger logger, string selfId, long applied, long firstIndex, long snapshotIndex);

    [LoggerMessage(EventId = 1032, Level = LogLevel.Warning,
        Message = "Raft node {SelfId}: state machine applied index {Applied} term {AppliedTerm}, but the log ends at {LastIndex} and holds term {TermInLog} there (-1: absent; unsynced entries lost in a power loss); deriving the state machine again from the log")]
    public static partial void StateMachineAheadOfLog(ILogger logger, string selfId, long applied, long appliedTerm, long lastIndex, long termInLog);

    [LoggerMessage(EventId = 1033, Level = LogLevel.Warning,
        Message = "Raft node {SelfId}: the leader replaces entries from index {ReplacedFrom}, but the state machine had applied up to {StateMachineApplied} (entries lost in a power loss); deriving it again from the log up to index {Applied}")]
    public static partial void AppliedEntriesReplaced(ILogger logger, string selfId, long replacedFrom, long stateMachineApplied, long applied);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Information,
        Message = "Raft node {SelfId} installed the leader's snapshot at index {Index} term {Term}; replication continues from pos {NextPos}")]
    public static partial void SnapshotInstalled(ILogger logger, string selfId, long index, long term, long nextPos);

    [LoggerMessage(EventId = 1040, Level = LogLevel.Information,
        Message = "Retention on {SelfId}: snapshot saved at index {SnapshotIndex}; {Deleted} data segment(s) older than {ExpiredBefore:o} deleted, log now starts at index {FirstIndex}")]
    public static partial void RetentionDone(ILogger logger, string selfId, long snapshotIndex, int deleted, DateTimeOffset expiredBefore, long firstIndex);


    [LoggerMessage(EventId = 1050, Level = LogLevel.Error, Message = "A StateChanged handler of Raft node {SelfId} threw")]
    public static partial void StateChangedHandlerFailed(ILogger logger, Exception exception, string selfId);

    [LoggerMessage(EventId = 1060, Level = LogLevel.Warning,
        Message = "Raft node {SelfId} of group {Group}: configuration at index {Index} is now {Membership} (voters elect and count; learners only replicate)")]
    public static partial void MembershipChanged(ILogger logger, string selfId, string group, long index, string membership);

    [LoggerMessage(EventId = 1061, Level = LogLevel.Warning,
        Message = "Raft node {SelfId} of group {Group}: dLegerPeers differ from the group's configuration at index {Index}: {Drift}")]
    public static partial void PeersDifferFromConfiguration(ILogger logger, string selfId, string group, long index, string drift);

    [LoggerMessage(EventId = 1062, Level = LogLevel.Warning,
        Message = "Raft node {SelfId} of group {Group} proposed {Operation} {PeerId} at index {Index}: the configuration is now {Membership}")]
    public static partial void MembershipChangeProposed(ILogger logger, string selfId, string group, string operation, string peerId, long index, string membership);
}
