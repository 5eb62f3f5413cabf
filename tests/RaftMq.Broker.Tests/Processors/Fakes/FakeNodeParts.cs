using RaftMq.Broker.Hosting;
using RaftMq.Consensus;
using RaftMq.Consensus.Core;

namespace RaftMq.Broker.Tests.Processors.Fakes;

internal sealed class FakeReplicatedLog : IReplicatedLog
{
    public string SelfId { get; init; } = "n0";

    public SoftState State { get; set; } = new(RaftRole.Leader, 1, "n0");

    public bool Started { get; set; }

    public bool Stopped { get; set; }

    public event Action<SoftState>? StateChanged;

    public void RaiseStateChanged(SoftState state)
    {
        State = state;
        StateChanged?.Invoke(state);
    }

    public ValueTask<AppendOutcome> AppendAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new AppendOutcome(AppendStatus.NotLeader, 0, 0, 0, null));

    public bool TryReadCommitted(long pos, Span<byte> destination) => false;

    public long FirstRetainedPos => 0;

    public bool TransferLeadership(string targetId) => State.Role == RaftRole.Leader;
}

internal sealed class FakeRegistrar(Func<BrokerRegistration> describe) : INameServerRegistrar
{
    private int _registrations;

    public List<BrokerRegistration> Sent { get; } = [];

    public bool Started { get; private set; }

    public bool Stopped { get; private set; }

    public int Registrations => Volatile.Read(ref _registrations);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Started = true;
        return RegisterNowAsync();
    }

    public Task RegisterNowAsync()
    {
        lock (Sent) Sent.Add(describe());
        Interlocked.Increment(ref _registrations);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Stopped = true;
        return Task.CompletedTask;
    }
}
