namespace RaftMq.Consensus.Log;

/// <summary>Stored log data failed a check while being read. The log marks itself corrupt and refuses writes.</summary>
internal sealed class LogCorruptedException(string message) : IOException(message);
