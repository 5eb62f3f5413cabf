using FsCheck;
using FsCheck.Fluent;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Wire;

/// <summary>FsCheck generators for arbitrary (structurally valid) messages, and a field-by-field comparison.</summary>
internal static class MessageGenerators
{
    private static readonly Gen<long> NonNegativeLong =
        Gen.OneOf(Gen.Choose(0, 1000).Select(i => (long)i), Gen.Choose(0, int.MaxValue).Select(i => (long)i << 31), Gen.Constant(long.MaxValue));

    private static readonly Gen<string> Id =
        Gen.OneOf(Gen.Elements("n0", "n1", "n2", "", "ноды-ü", "节点"), Gen.Choose(0, 300).Select(n => new string('x', n)));

    private static readonly Gen<byte[]> Bytes =
        Gen.Choose(0, 64).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));

    private static readonly Gen<LogEntry> Entry =
        from index in NonNegativeLong
        from term in NonNegativeLong
        from pos in NonNegativeLong
        from type in Gen.Elements(EntryType.Normal, EntryType.Noop, EntryType.Config)
        from body in Bytes
        select new LogEntry(index, term, pos, type, body);

    private static readonly Gen<Membership?> MaybeMembership = Gen.OneOf(
        Gen.Constant<Membership?>(null),
        from voters in Gen.Choose(1, 5)
        from learners in Gen.Choose(0, 2)
        from promote in Gen.Elements(true, false)
        select (Membership?)new Membership(
            Enumerable.Range(0, voters).Select(i => new Member("n" + i, $"10.0.0.{i}:4091{i}")).ToArray(),
            Enumerable.Range(voters, learners).Select(i => new Member("n" + i, "", promote)).ToArray()));

    private static readonly Gen<Snapshot?> MaybeSnapshot = Gen.OneOf(
        Gen.Constant<Snapshot?>(null),
        from index in NonNegativeLong
        from term in NonNegativeLong
        from nextPos in NonNegativeLong
        from data in Bytes
        from membership in MaybeMembership
        select (Snapshot?)new Snapshot(index, term, nextPos, data) { Membership = membership });

    public static readonly Gen<Message> Message =
        from type in Gen.Elements(Enum.GetValues<MessageType>())
        from sender in Id
        from receiver in Id
        from numbers in Gen.ArrayOf(NonNegativeLong, 7)
        from count in Gen.Choose(0, 6)
        from entries in Gen.ArrayOf(Entry, count)
        from snapshot in MaybeSnapshot
        from flags in Gen.Choose(0, 3)
        select new Message
        {
            Type = type, From = sender, To = receiver, Term = numbers[0], LogIndex = numbers[1], LogTerm = numbers[2],
            Commit = numbers[3], Index = numbers[4], HintTerm = numbers[5], HintIndex = numbers[6],
            Entries = entries, Snapshot = snapshot, Reject = (flags & 1) != 0, Transfer = (flags & 2) != 0,
        };

    public static Arbitrary<Message> Messages => Arb.From(Message);

    public static bool SameMessage(Message a, Message b)
    {
        if (a.Type != b.Type || a.From != b.From || a.To != b.To || a.Term != b.Term || a.LogIndex != b.LogIndex
            || a.LogTerm != b.LogTerm || a.Commit != b.Commit || a.Index != b.Index || a.HintTerm != b.HintTerm
            || a.HintIndex != b.HintIndex || a.Reject != b.Reject || a.Transfer != b.Transfer
            || a.Entries.Count != b.Entries.Count || (a.Snapshot is null) != (b.Snapshot is null))
        {
            return false;
        }
        for (int i = 0; i < a.Entries.Count; i++)
        {
            LogEntry x = a.Entries[i];
            LogEntry y = b.Entries[i];
            if (x.Index != y.Index || x.Term != y.Term || x.Pos != y.Pos || x.Type != y.Type || !x.Body.Span.SequenceEqual(y.Body.Span))
                return false;
        }
        return a.Snapshot is null
            || (a.Snapshot.Index == b.Snapshot!.Index && a.Snapshot.Term == b.Snapshot.Term
                && a.Snapshot.NextPos == b.Snapshot.NextPos && a.Snapshot.Data.Span.SequenceEqual(b.Snapshot.Data.Span)
                && Equals(a.Snapshot.Membership, b.Snapshot.Membership));
    }
}
