using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RaftMq.Protocol.Acl;

/// <summary>
/// A white-list entry of plain ACL (RocketMQ's RemoteAddressStrategy): blank matches nothing; <c>*</c>, <c>*.*.*.*</c>
/// and <c>*:*:*:*:*:*:*:*</c> match everything; <c>a,b,c</c> and <c>192.168.1.{1,2}</c> list addresses; IPv4 octets
/// may be <c>*</c> or a range <c>n-m</c> (<c>192.168.*.*</c>, <c>10.0.0.1-20</c>); otherwise one exact address (IPv4 or IPv6).
/// </summary>
public sealed class RemoteAddressPattern
{
    private readonly bool _any;
    private readonly HashSet<IPAddress> _exact = [];
    private readonly List<(int Low, int High)[]> _ranges = [];

    private RemoteAddressPattern(bool any) => _any = any;

    public static readonly RemoteAddressPattern None = new(false);

    /// <summary>Parses an entry; <see cref="AclConfigException"/> when it is not one of the forms above.</summary>
    public static RemoteAddressPattern Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return None;
        text = text.Trim();
        if (text is "*" or "*.*.*.*" or "*:*:*:*:*:*:*:*") return new RemoteAddressPattern(true);
        var pattern = new RemoteAddressPattern(false);
        foreach (string entry in Expand(text)) pattern.Add(entry);
        return pattern;
    }

    public bool Matches(IPAddress address)
    {
        if (_any) return true;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (_exact.Contains(address)) return true;
        if (address.AddressFamily != AddressFamily.InterNetwork || _ranges.Count == 0) return false;
        Span<byte> octets = stackalloc byte[4];
        address.TryWriteBytes(octets, out _);
        foreach (var range in _ranges)
        {
            bool inside = true;
            for (int i = 0; i < 4 && inside; i++) inside = octets[i] >= range[i].Low && octets[i] <= range[i].High;
            if (inside) return true;
        }
        return false;
    }

    /// <summary>"a,b" lists and "prefix.{x,y}" forms become single entries.</summary>
    private static IEnumerable<string> Expand(string text)
    {
        if (text.EndsWith('}'))
        {
            int open = text.LastIndexOf('{');
            if (open < 0) throw Invalid(text);
            string prefix = text[..open];
            foreach (string part in text[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries)) yield return prefix + part;
            yield break;
        }
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) yield return part;
    }

    private void Add(string entry)
    {
        if (IPAddress.TryParse(entry, out var address) && !entry.Contains('*') && !entry.Contains('-'))
        {
            _exact.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
            return;
        }
        string[] parts = entry.Split('.');
        if (parts.Length != 4) throw Invalid(entry);
        var range = new (int Low, int High)[4];
        for (int i = 0; i < 4; i++) range[i] = Octet(parts[i].Trim(), entry);
        _ranges.Add(range);
    }

    private static (int Low, int High) Octet(string part, string entry)
    {
        if (part == "*") return (0, 255);
        int dash = part.IndexOf('-');
        if (dash < 0) return (Number(part, entry), Number(part, entry));
        int low = Number(part[..dash], entry), high = Number(part[(dash + 1)..], entry);
        if (low > high) throw Invalid(entry);
        return (low, high);
    }

    private static int Number(string text, string entry) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value <= 255 ? value : throw Invalid(entry);

    private static AclConfigException Invalid(string entry) =>
        new($"'{entry}' is not an address pattern (an IP, *, a,b, 1.2.3.{{4,5}}, 1.2.*.* or 1.2.3.1-20)");
}
