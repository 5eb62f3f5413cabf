using System.Text;

namespace RaftMq.Consensus.Configuration;

/// <summary>The <c>dLegerPeerSecret</c> value, wrapped so that printing the options (records print every property)
/// never shows it.</summary>
public sealed class PeerSecret(string text)
{
    public byte[] Utf8() => Encoding.UTF8.GetBytes(text);

    public override string ToString() => "(secret)";
}
