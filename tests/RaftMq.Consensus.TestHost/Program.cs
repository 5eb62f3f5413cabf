namespace RaftMq.Consensus.TestHost;

public static class Program
{
    public static int Main() => 2;
}
