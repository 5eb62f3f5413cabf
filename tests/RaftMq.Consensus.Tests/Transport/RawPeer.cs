using System.Buffers.Binary;
using System.Net.Sockets;
using RaftMq.Foundation.Checksums;
using RaftMq.Consensus.Transport;

namespace RaftMq.Consensus.Tests.Transport;

/// <summary>A hand-driven dialer for tests that need to send what a well-behaved transport never would.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly TcpClient _client = new() { NoDelay = true };

    private RawPeer() { }

    public NetworkStream Stream => _client.GetStream();

    public static async Task<(RawPeer Peer, HandshakeResponse Response)> Connect(int port, PeerTransportOptions identity)
    {
        var peer = new RawPeer();
        await peer._client.ConnectAsync("127.0.0.1", port);
        await peer.Stream.WriteAsync(Handshake.Encode(Handshake.CreateRequest(identity)));
        using var timeout = new CancellationTokenSource(Eventually.Deadline);
        var response = await Handshake.ReadResponseAsync(peer.Stream, timeout.Token);
        return (peer, response);
    }

    public static byte[] Frame(byte[] payload, bool corruptCrc = false)
    {
        var frame = new byte[FrameCodec.HeaderSize + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), Crc32C.Compute(payload) ^ (corruptCrc ? 1u : 0u));
        payload.CopyTo(frame, FrameCodec.HeaderSize);
        return frame;
    }

    public async Task Send(byte[] bytes) => await Stream.WriteAsync(bytes);

    /// <summary>True once the remote side has closed the connection (read returns 0 or the socket resets).</summary>
    public async Task<bool> ClosedByRemote()
    {
        using var timeout = new CancellationTokenSource(Eventually.Deadline);
        var buffer = new byte[16];
        try
        {
            return await Stream.ReadAsync(buffer, timeout.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
