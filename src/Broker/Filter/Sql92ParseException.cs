namespace RaftMq.Broker.Filter;

/// <summary>An expression RocketMQ's SQL92 selector would refuse; the message names the position and the token.</summary>
public sealed class Sql92ParseException : Exception
{
    public Sql92ParseException(string message) : base(message)
    {
    }

    public Sql92ParseException()
    {
    }

    public Sql92ParseException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
