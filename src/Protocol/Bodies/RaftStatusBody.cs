using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RaftMq.Protocol.Bodies;

/// <summary>
/// Body of RaftMq's GET_RAFT_STATUS answer (admin code 9002): one broker node's view of its Raft group. Match
/// values are known only on the leader (-1 elsewhere); <c>lastContactMs</c> is how long ago the node last received
/// a message from that peer (-1: never since start).
/// </summary>
public sealed class RaftStatusBody : IJsonBody<RaftStatusBody>
{
    [JsonPropertyName("selfId")]
    public string SelfId { get; set; } = "";

    [JsonPropertyName("group")]
    public string Group { get; set; } = "";

    /// <summary>LEADER, FOLLOWER, CANDIDATE or PRE_CANDIDATE.</summary>
    [JsonPropertyName("role")]
    public string Role { get; set; } = "";

    [JsonPropertyName("term")]
    public long Term { get; set; }

    [JsonPropertyName("leaderId")]
    public string? LeaderId { get; set; }

    [JsonPropertyName("commitIndex")]
    public long CommitIndex { get; set; }

    [JsonPropertyName("appliedIndex")]
    public long AppliedIndex { get; set; }

    [JsonPropertyName("lastIndex")]
    public long LastIndex { get; set; }

    [JsonPropertyName("preferredLeaderId")]
    public string? PreferredLeaderId { get; set; }

    /// <summary>Why the node halted (it takes no part in the group), or null.</summary>
    [JsonPropertyName("haltReason")]
    public string? HaltReason { get; set; }

    /// <summary>Every member of the configuration in effect on this node, voters then learners.</summary>
    [JsonPropertyName("peers")]
    public List<RaftPeerStatusBody> Peers { get; set; } = [];

    /// <summary>Log index of that configuration (0: the bootstrap one, from dLegerPeers).</summary>
    [JsonPropertyName("membershipIndex")]
    public long MembershipIndex { get; set; }

    static JsonTypeInfo<RaftStatusBody> IJsonBody<RaftStatusBody>.TypeInfo => RaftStatusJsonContext.Default.RaftStatusBody;
}

/// <summary>One member as seen by the node that answered.</summary>
public sealed class RaftPeerStatusBody
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    [JsonPropertyName("self")]
    public bool Self { get; set; }

    [JsonPropertyName("matchIndex")]
    public long MatchIndex { get; set; } = -1;

    [JsonPropertyName("matchLag")]
    public long MatchLag { get; set; } = -1;

    [JsonPropertyName("lastContactMs")]
    public long LastContactMs { get; set; } = -1;

    /// <summary>True for a learner (replicates, never votes or counts toward commit).</summary>
    [JsonPropertyName("learner")]
    public bool Learner { get; set; }

    /// <summary>The member's peer address in the configuration ("" when it comes from dLegerPeers).</summary>
    [JsonPropertyName("address")]
    public string Address { get; set; } = "";
}

/// <summary>Source-generated metadata of <see cref="RaftStatusBody"/> (kept apart from the RocketMQ bodies).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(RaftStatusBody))]
internal sealed partial class RaftStatusJsonContext : JsonSerializerContext;
