using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>How a node's configured <c>dLegerPeers</c> compare with the group's replicated configuration.</summary>
internal static class MembershipDrift
{
    /// <summary>The members as dialable peers: the configuration's address, else the dLegerPeers endpoint; members
    /// with neither (or an address that does not parse) are left out.</summary>
    public static List<DLedgerPeer> Endpoints(Membership membership, DLedgerPeers configured)
    {
        var peers = new List<DLedgerPeer>();
        foreach (var member in membership.All)
        {
            if (ToPeer(member, configured) is { } peer) peers.Add(peer);
        }
        return peers;
    }

    /// <summary>What differs between dLegerPeers and the configuration, and what to do, or null when they agree.</summary>
    public static string? Describe(string group, DLedgerPeers configured, Membership membership)
    {
        var problems = new List<string>();
        foreach (var member in membership.All)
        {
            var listed = configured.Find(member.Id);
            string role = membership.IsVoter(member.Id) ? "voter" : "learner";
            if (listed is null)
                problems.Add($"{member.Id} ({role}{(member.Address.Length > 0 ? " at " + member.Address : "")}) is missing from dLegerPeers");
            else if (member.Address.Length > 0 && !SameEndpoint(member.Address, listed.Endpoint))
                problems.Add($"{member.Id} ({role}) is at {member.Address} in the group's configuration but at {listed.Endpoint} in dLegerPeers");
        }
        foreach (var peer in configured.Members)
        {
            if (!membership.Contains(peer.Id))
                problems.Add($"{peer.Id} ({peer.Endpoint}) is in dLegerPeers but not a member: add it with 'raftmq admin addPeer -b {group} -i {peer.Id} -a {peer.Endpoint}' or drop it from dLegerPeers");
        }
        if (problems.Count == 0) return null;
        string matching = string.Join(';', Endpoints(membership, configured));
        return string.Join("; ", problems) + $". The group's configuration decides; set dLegerPeers={matching} to match it";
    }

    private static DLedgerPeer? ToPeer(Member member, DLedgerPeers configured)
    {
        if (member.Address.Length == 0) return configured.Find(member.Id);
        try
        {
            return DLedgerPeers.Parse($"{member.Id}-{member.Address}").Members[0];
        }
        catch (FormatException)
        {
            return configured.Find(member.Id);
        }
    }

    private static bool SameEndpoint(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
