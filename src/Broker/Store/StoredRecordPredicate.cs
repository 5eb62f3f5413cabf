namespace RaftMq.Broker.Store;

/// <summary>Decides from a whole stored message record (e.g. its properties) whether a pull serves it.</summary>
public delegate bool StoredRecordPredicate(ReadOnlySpan<byte> storedRecord);
