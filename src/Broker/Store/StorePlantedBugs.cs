namespace RaftMq.Broker.Store;

/// <summary>
/// Deliberate bugs in the state machine, switched on only by the deterministic simulator's planted-bug tests (through
/// the internal <see cref="MessageStoreOptions.Bugs"/>) to show that its checkers catch this class of error.
/// </summary>
[Flags]
internal enum StorePlantedBugs
{
    None = 0,

    /// <summary>Recovery resumes each ConsumeQueue after the units its files hold instead of at the checkpoint's next
    /// offset: units written after the last checkpoint are kept, and replaying their entries appends them again.</summary>
    ResumeQueuesAfterWrittenUnits = 1,

    /// <summary>The checkpoint writes the ConsumeQueues' buffered units but does not fsync their files before it replaces
    /// checkpoint.json: a power loss can leave a checkpoint that vouches for units its files lost (a process crash cannot,
    /// the written units survive it).</summary>
    SkipQueueFsyncAtCheckpoint = 2,

    /// <summary>A key-index flush writes the header and makes everything durable in one msync instead of entries first,
    /// then the header: pages reach the disk in any order, so a power loss can keep a header that counts entries the
    /// file lost.</summary>
    FlushIndexInOneStep = 4,
}
