namespace RaftMq.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: raftmq <namesrv|broker|admin|produce|consume|bench|quickstart> ...");
        return args.Length == 0 ? 2 : 2;
    }
}
