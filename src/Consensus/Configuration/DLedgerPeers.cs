using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RaftMq.Consensus.Configuration;

/// <summary>One member of a group: <c>id-host:port</c> in DLedger's <c>dLegerPeers</c> syntax.</summary>
public sealed record DLedgerPeer(string Id, string Host, int Port)
{
    public override string ToString() => $"{Id}-{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary><c>host:port</c>, as written in the configuration.</summary>
    public string Endpoint => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// The members of a Raft group, parsed from <c>n0-127.0.0.1:30912;n1-127.0.0.1:30922;n2-127.0.0.1:30932</c>
/// (DLedger: the id is the text before the first <c>-</c>, the port follows the last <c>:</c>). Members keep their
/// configured order. <see cref="Canonical"/> is an order-independent form that every member of a correctly
/// configured group computes identically; the transport compares its hash on connect.
/// </summary>
public sealed class DLedgerPeers
{
    private readonly List<DLedgerPeer> _members;

    private DLedgerPeers(List<DLedgerPeer> members)
    {
        _members = members;
        Canonical = string.Join(';', members
            .OrderBy(member => member.Id, StringComparer.Ordinal)
            .Select(member => new DLedgerPeer(member.Id, member.Host.ToLowerInvariant(), member.Port).ToString()));
        CanonicalHash = SHA256.HashData(Encoding.UTF8.GetBytes(Canonical));
    }

    /// <summary>Members in configured order.</summary>
    public IReadOnlyList<DLedgerPeer> Members => _members;

    /// <summary>Member ids in configured order.</summary>
    public IReadOnlyList<string> Ids => _members.ConvertAll(member => member.Id);

    /// <summary>Members sorted by id (ordinal), host in lower case, joined by <c>;</c>: equal for two
    /// configurations that name the same members at the same endpoints in any order.</summary>
    public string Canonical { get; }

    /// <summary>SHA-256 of the UTF-8 <see cref="Canonical"/> string (32 bytes).</summary>
    public ReadOnlyMemory<byte> CanonicalHash { get; }

    public bool Contains(string id) => Find(id) is not null;

    public DLedgerPeer? Find(string id) => _members.Find(member => string.Equals(member.Id, id, StringComparison.Ordinal));

    public override string ToString() => string.Join(';', _members);

    /// <summary>Parses the <c>dLegerPeers</c> syntax strictly; throws <see cref="FormatException"/> saying which
    /// member is wrong and why. Whitespace around members is ignored and one trailing <c>;</c> is allowed.</summary>
    public static DLedgerPeers Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(';');
        int count = parts.Length > 1 && parts[^1].Trim().Length == 0 ? parts.Length - 1 : parts.Length;
        var members = new List<DLedgerPeer>(count);
        for (int i = 0; i < count; i++)
        {
            var member = ParseMember(parts[i].Trim(), i + 1);
            if (members.Exists(existing => existing.Id == member.Id))
                throw new FormatException($"member {i + 1} '{parts[i].Trim()}': id '{member.Id}' appears more than once");
            members.Add(member);
        }
        return new DLedgerPeers(members);
    }

    private static DLedgerPeer ParseMember(string member, int position)
    {
        string Problem(string why) => $"member {position} '{member}': {why} (expected id-host:port)";
        if (member.Length == 0) throw new FormatException($"member {position} is empty (expected id-host:port)");
        if (member.Any(char.IsWhiteSpace)) throw new FormatException(Problem("contains whitespace"));
        int dash = member.IndexOf('-');
        if (dash <= 0) throw new FormatException(Problem(dash < 0 ? "no '-' after the id" : "the id is empty"));
        int colon = member.LastIndexOf(':');
        if (colon <= dash) throw new FormatException(Problem("no ':' before the port"));
        string id = member[..dash];
        if (id.Contains(':')) throw new FormatException(Problem("the id contains ':'"));
        string host = member[(dash + 1)..colon];
        if (host.Length == 0) throw new FormatException(Problem("the host is empty"));
        string portText = member[(colon + 1)..];
        if (portText.Length == 0 || !portText.All(char.IsAsciiDigit)
            || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            || port is < 1 or > 65535)
            throw new FormatException(Problem($"port '{portText}' is not a number between 1 and 65535"));
        return new DLedgerPeer(id, host, port);
    }
}
