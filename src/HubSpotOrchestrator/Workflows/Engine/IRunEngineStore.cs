namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>Run-engine persistence: leases, checkpoints, steps, per-subject ordering, exceptions, pauses.</summary>
public interface IRunEngineStore
{
    /// <summary>Takes the run for <paramref name="owner"/> unless another worker holds an unexpired lease. Returns the leased run.</summary>
    Run? TryLease(string runId, string owner, DateTime now, TimeSpan duration);

    /// <summary>
    /// Extends the lease to <paramref name="now"/> + <paramref name="duration"/> while <paramref name="owner"/> still holds
    /// it; false when it no longer does (released, or taken over after it ran out).
    /// </summary>
    bool RenewLease(string runId, string owner, DateTime now, TimeSpan duration);

    /// <summary>Clears the lease if <paramref name="owner"/> holds it (compare-and-set).</summary>
    void ReleaseLease(string runId, string owner);

    IReadOnlyList<RunStep> GetSteps(string runId);

    RunStep? GetStep(string runId, string step);

    void SaveStep(RunStep step);

    /// <summary>Saves a step and its run in one transaction: the checkpoint (and, optionally, the next step as started).</summary>
    void Checkpoint(Run run, RunStep step, RunStep? next = null);

    /// <summary>The runs of <paramref name="workflow"/> for one subject that are not Succeeded or Cancelled, oldest event first.</summary>
    IReadOnlyList<Run> OpenRunsForSubject(string workflow, long portalId, string subjectType, long subjectId);

    IReadOnlyList<Run> RunsWithStatus(RunStatus status, string? workflow, int limit);

    void SaveException(ExceptionRecord record);

    ExceptionRecord? GetException(string id);

    /// <summary>Compare-and-set Open → Resolved; false when someone resolved it first.</summary>
    bool TryResolveException(string id, string resolution, string by, DateTime at);

    IReadOnlyList<ExceptionRecord> Exceptions(ExceptionStatus? status, string? runId, int limit);

    bool IsPaused(string workflow);

    void SetPaused(string workflow, bool paused, string by, DateTime at);
}
