namespace RaftMq.Chaos;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: raftmq-chaos run|check ...");
        return 2;
    }
}
