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
}
