// The tests start the service as a process, load it and kill it; on two shared cores they must not also compete with
// each other, and the storage tests mount file systems: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
