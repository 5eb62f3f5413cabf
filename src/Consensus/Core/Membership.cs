using System.Buffers.Binary;
using System.Text;

namespace RaftMq.Consensus.Core;

/// <summary>One member of a group: its node id and the address its peers dial (opaque to the core).</summary>
/// <param name="PromoteWhenCaughtUp">Learners only: any leader promotes it to voter once it holds the log (so the
/// intent survives leader changes, being part of the replicated configuration).</param>
public sealed record Member(string Id, string Address, bool PromoteWhenCaughtUp = false)
{
    public override string ToString() => Address.Length == 0 ? Id : $"{Id}-{Address}";
}

/// <summary>
/// A group's configuration: the voters (who elect and count toward commit) and the learners (who replicate and apply
/// the log but never vote, campaign or count). Immutable. It lives in the Raft log as a <see cref="EntryType.Config"/>
/// entry and in snapshots; every node uses the latest configuration in its log, committed or not (Raft dissertation
/// §4.1), and the leader changes at most one voter per entry, so the majorities of consecutive configurations overlap.
/// </summary>
public sealed class Membership : IEquatable<Membership>
{
    private const byte FormatVersion = 1;
    private const byte FlagPromote = 1;

    public Membership(IReadOnlyList<Member> voters, IReadOnlyList<Member> learners)
    {
        ArgumentNullException.ThrowIfNull(voters);
        ArgumentNullException.ThrowIfNull(learners);
        Voters = voters.ToArray();
        Learners = learners.ToArray();
    }

    public IReadOnlyList<Member> Voters { get; }

    public IReadOnlyList<Member> Learners { get; }

    /// <summary>Voters then learners.</summary>
    public IEnumerable<Member> All => Voters.Concat(Learners);

    /// <summary>A configuration of voters only, without addresses (the bootstrap of a group whose log holds none).</summary>
    public static Membership OfVoters(IEnumerable<string> ids) => new(ids.Select(id => new Member(id, "")).ToArray(), []);

    public bool IsVoter(string id) => IndexOf(Voters, id) >= 0;

    public bool IsLearner(string id) => IndexOf(Learners, id) >= 0;

    public bool Contains(string id) => IsVoter(id) || IsLearner(id);

    public Member? Find(string id)
    {
        int voter = IndexOf(Voters, id);
        if (voter >= 0) return Voters[voter];
        int learner = IndexOf(Learners, id);
        return learner >= 0 ? Learners[learner] : null;
    }

    /// <summary>Adds a learner (optionally promoted automatically once caught up).</summary>
    public Membership AddLearner(string id, string address, bool promoteWhenCaughtUp) =>
        new(Voters, [.. Learners, new Member(id, address, promoteWhenCaughtUp)]);

    /// <summary>Turns learner <paramref name="id"/> into a voter.</summary>
    public Membership Promote(string id)
    {
        Member learner = Learners.FirstOrDefault(m => m.Id == id) ?? throw new ArgumentException($"{id} is not a learner of {this}", nameof(id));
        return new(Voters.Append(learner with { PromoteWhenCaughtUp = false }).ToArray(), Learners.Where(m => m.Id != id).ToArray());
    }

    public Membership Remove(string id) => new(Voters.Where(m => m.Id != id).ToArray(), Learners.Where(m => m.Id != id).ToArray());

    /// <summary>The same members with <paramref name="id"/> reachable at a new address.</summary>
    public Membership WithAddress(string id, string address) =>
        new(Voters.Select(m => m.Id == id ? m with { Address = address } : m).ToArray(),
            Learners.Select(m => m.Id == id ? m with { Address = address } : m).ToArray());

    /// <summary>Why this configuration cannot be used, or null: no voter, an empty or duplicate id.</summary>
    public string? Problem()
    {
        if (Voters.Count == 0) return "a group needs at least one voter";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Member member in All)
        {
            if (string.IsNullOrWhiteSpace(member.Id)) return "a member has an empty id";
            if (!seen.Add(member.Id)) return $"{member.Id} is listed twice";
        }
        return null;
    }

    /// <summary>Voter ids present in exactly one of the two configurations.</summary>
    public int VoterDifference(Membership other) =>
        Voters.Count(m => !other.IsVoter(m.Id)) + other.Voters.Count(m => !IsVoter(m.Id));

    public byte[] Encode()
    {
        var buffer = new List<byte> { FormatVersion };
        WriteMembers(buffer, Voters);
        WriteMembers(buffer, Learners);
        return buffer.ToArray();
    }

    /// <summary>Decodes <see cref="Encode"/>'s bytes; throws <see cref="FormatException"/> on anything else.</summary>
    public static Membership Decode(ReadOnlySpan<byte> source)
    {
        if (source.Length < 1 || source[0] != FormatVersion) throw new FormatException("membership: unknown format version");
        int offset = 1;
        Member[] voters = ReadMembers(source, ref offset);
        Member[] learners = ReadMembers(source, ref offset);
        if (offset != source.Length) throw new FormatException("membership: trailing bytes");
        return new Membership(voters, learners);
    }

    public bool Equals(Membership? other) =>
        other is not null && Voters.SequenceEqual(other.Voters) && Learners.SequenceEqual(other.Learners);

    public override bool Equals(object? obj) => Equals(obj as Membership);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    /// <summary>dLegerPeers-like text: <c>voters n0-host:port;n1-... learners n3-...(promote)</c>.</summary>
    public override string ToString()
    {
        string learners = Learners.Count == 0 ? "" : " learners " + string.Join(";", Learners.Select(m => m + (m.PromoteWhenCaughtUp ? "(promote)" : "")));
        return "voters " + string.Join(";", Voters) + learners;
    }

    private static int IndexOf(IReadOnlyList<Member> members, string id)
    {
        for (int i = 0; i < members.Count; i++)
        {
            if (string.Equals(members[i].Id, id, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    private static void WriteMembers(List<byte> buffer, IReadOnlyList<Member> members)
    {
        Span<byte> count = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(count, checked((ushort)members.Count));
        buffer.AddRange(count.ToArray());
        foreach (Member member in members)
        {
            WriteString(buffer, member.Id);
            WriteString(buffer, member.Address);
            buffer.Add(member.PromoteWhenCaughtUp ? FlagPromote : (byte)0);
        }
    }

    private static void WriteString(List<byte> buffer, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, checked((ushort)bytes.Length));
        buffer.AddRange(length.ToArray());
        buffer.AddRange(bytes);
    }

    private static Member[] ReadMembers(ReadOnlySpan<byte> source, ref int offset)
    {
        int count = ReadUInt16(source, ref offset);
        var members = new Member[count];
        for (int i = 0; i < count; i++)
        {
            string id = ReadString(source, ref offset);
            string address = ReadString(source, ref offset);
            if (offset >= source.Length) throw new FormatException("membership: truncated member");
            byte flags = source[offset++];
            members[i] = new Member(id, address, (flags & FlagPromote) != 0);
        }
        return members;
    }

    private static int ReadUInt16(ReadOnlySpan<byte> source, ref int offset)
    {
        if (offset + 2 > source.Length) throw new FormatException("membership: truncated");
        int value = BinaryPrimitives.ReadUInt16BigEndian(source[offset..]);
        offset += 2;
        return value;
    }

    private static string ReadString(ReadOnlySpan<byte> source, ref int offset)
    {
        int length = ReadUInt16(source, ref offset);
        if (offset + length > source.Length) throw new FormatException("membership: truncated string");
        string value = Encoding.UTF8.GetString(source.Slice(offset, length));
        offset += length;
        return value;
    }
}
