using System.Globalization;
using System.Text;
using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Workload;

/// <summary>
/// A workload message: unique payload id, sharding key and per-key sequence number. On the wire the body is
/// <c>chaos|{payloadId}|{key}|{seq}|</c> padded with '.' to the configured size, so a consumer can
/// recover all three from the body alone (and a transactional payload's plan from its id, <see cref="TransactionPlans.For"/>).
/// </summary>
public sealed record ChaosMessage(string Key, long Seq, string PayloadId)
{
    /// <summary>How a transactional run ends this payload's transaction; <see cref="TransactionPlan.None"/> for a plain send.</summary>
    public TransactionPlan Transaction { get; init; } = TransactionPlan.None;

    private const string Prefix = "chaos|";

    public byte[] Encode(int size)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{PayloadId}|{Key}|{Seq}|");
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length >= size)
        {
            return bytes;
        }

        var padded = new byte[size];
        bytes.CopyTo(padded, 0);
        padded.AsSpan(bytes.Length).Fill((byte)'.');
        return padded;
    }

    public static bool TryDecode(ReadOnlySpan<byte> body, out ChaosMessage? message)
    {
        message = null;
        var text = Encoding.UTF8.GetString(body);
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text[Prefix.Length..].Split('|');
        if (parts.Length < 4 || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seq))
        {
            return false;
        }

        message = new ChaosMessage(parts[1], seq, parts[0]);
        return true;
    }
}
