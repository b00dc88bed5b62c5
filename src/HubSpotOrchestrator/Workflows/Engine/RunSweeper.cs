using System.Collections.Concurrent;
using Hangfire;
using HubSpotOrchestrator.Approvals;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>
/// Restarts runs whose executor is gone. Every <see cref="WorkflowOptions.SweepInterval"/>: Running runs whose lease ran
/// out (a live worker renews it, <see cref="LeaseHeartbeat"/>), and Pending runs without progress for
/// <see cref="WorkflowOptions.RestartPendingAfter"/> (their start was lost), except those that wait by design (queued
/// behind an older open run for the same record, or of a paused workflow). At start (<see cref="Recover"/>) also the
/// Running runs leased by an earlier process of this node (<see cref="RunLeases"/>) without waiting for the lease, every
/// Pending run that is due, whatever its age, and the runs still waiting for an approval that was decided (the resume
/// job was lost in a crash).
/// </summary>
/// <remarks>
/// A run that another worker holds under a live lease is never touched: the lease is the arbiter between nodes. The one
/// exception, an earlier process of this node, is made only at start: later, such a lease could only be a second live
/// process under the same node name (a misconfiguration), and it runs out by itself if not.
/// Handing a run on twice is harmless (the executor leases it and skips checkpointed steps), but a run handed on is not
/// handed on again for RestartPendingAfter, so runs still queued behind a backlog are not multiplied every sweep.
/// </remarks>
internal sealed class RunSweeper(
    IRunEngineStore store,
    IApprovalStore approvals,
    WorkflowRegistry registry,
    RunDispatcher dispatcher,
    IBackgroundJobClient jobs,
    RunLeases leases,
    IOptions<WorkflowOptions> options,
    TimeProvider clock,
    ILogger<RunSweeper> logger) : Shared.PeriodicSweep(clock, logger)
{
    /// <summary>The Hangfire recurring job that swept before the sweep ran in-process; removed at start.</summary>
    public const string LegacyRecurringJobId = "run-sweeper";

    private const int Limit = 10_000;
    private const string ApprovalWait = "approval:";

    private readonly ConcurrentDictionary<string, DateTime> _handedOn = new(StringComparer.Ordinal);
    private DateTime _pendingScannedAt = DateTime.MinValue;

    protected override TimeSpan Interval => options.Value.SweepInterval;

    public override int Recover()
    {
        var (takenOver, started) = Sweep(atStart: true);
        var resumed = ResumeDecidedApprovals();
        if (takenOver + started + resumed > 0)
        {
            Logger.LogWarning(
                "At start the run sweeper took over {TakenOver} Running runs, started {Started} Pending runs and resumed {Resumed} runs whose approval was decided, left in flight by the previous process",
                takenOver, started, resumed);
        }

        return takenOver + started + resumed;
    }

    public override Task<int> SweepAsync()
    {
        var (takenOver, started) = Sweep(atStart: false);
        if (takenOver + started > 0)
        {
            Logger.LogWarning("Run sweeper took over {TakenOver} Running runs whose lease ran out and started {Started} Pending runs without progress", takenOver, started);
        }

        return Task.FromResult(takenOver + started);
    }

    private (int TakenOver, int Started) Sweep(bool atStart)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var holdOff = options.Value.RestartPendingAfter;
        var takeOver = HandOn(TakeOverRunning(now, atStart), now, atStart);

        // Pending runs of workflows without an implementation stay Pending for good, so this scan reads more than the
        // Running one: every half RestartPendingAfter is enough for a threshold of RestartPendingAfter.
        var start = new List<string>();
        if (atStart || now - _pendingScannedAt >= holdOff / 2)
        {
            _pendingScannedAt = now;
            var cutoff = now - holdOff;
            var lines = new Dictionary<(string, long, string, long), IReadOnlyList<Run>>();
            start = HandOn(
                Implemented(RunStatus.Pending)
                    .Where(r => atStart
                        ? r.NextAttemptAt is null || r.NextAttemptAt <= now
                        : r.UpdatedAt < cutoff && (r.NextAttemptAt is null || r.NextAttemptAt < cutoff))
                    .Where(r => !IsParked(r, lines))
                    .Select(r => atStart ? ReleaseEarlierProcessLease(r) : r.Id),
                now,
                atStart);
        }

        foreach (var (id, at) in _handedOn)
        {
            if (at <= now - holdOff)
            {
                _handedOn.TryRemove(id, out _);
            }
        }

        return (takeOver.Count, start.Count);
    }

    /// <summary>Enqueues the runs not handed on within RestartPendingAfter (all of them at start); returns those it enqueued.</summary>
    private List<string> HandOn(IEnumerable<string> runIds, DateTime now, bool atStart)
    {
        var since = now - options.Value.RestartPendingAfter;
        var handOn = runIds.Distinct(StringComparer.Ordinal)
            .Where(id => atStart || !_handedOn.TryGetValue(id, out var at) || at <= since)
            .ToList();
        dispatcher.EnqueueNow(handOn);
        foreach (var id in handOn)
        {
            _handedOn[id] = now;
        }

        return handOn;
    }

    /// <summary>
    /// A Pending run that waits by design, so it was not lost: its workflow is paused (resuming starts it), or an older
    /// run for the same record is still open ahead of it and will start it when it ends. Once that run ended, the
    /// waiting one is no longer parked, so a start lost on the way is still made up here.
    /// </summary>
    private bool IsParked(Run run, Dictionary<(string, long, string, long), IReadOnlyList<Run>> lines)
    {
        if (store.IsPaused(run.Workflow))
        {
            return true;
        }

        var key = (run.Workflow, run.PortalId, run.SubjectType, run.SubjectId);
        if (!lines.TryGetValue(key, out var open))
        {
            lines[key] = open = store.OpenRunsForSubject(run.Workflow, run.PortalId, run.SubjectType, run.SubjectId);
        }

        // A newer run of a workflow that supersedes waiting runs goes ahead of those (the executor cancels them).
        var supersedes = registry.TryGet(run.Workflow, out var workflow) && workflow.NewerRunSupersedesWaiting;
        return open.TakeWhile(r => r.Id != run.Id).Any(r => !(supersedes && r.Status == RunStatus.Waiting));
    }

    /// <summary>Running runs whose worker is gone: lease ran out or released, or (at start) held by an earlier process of this node (released here).</summary>
    private List<string> TakeOverRunning(DateTime now, bool atStart)
    {
        var due = new List<string>();
        foreach (var run in Implemented(RunStatus.Running))
        {
            if (run.LeaseOwner is null || run.LeaseUntil is not { } until || until <= now)
            {
                due.Add(run.Id);
            }
            else if (atStart && leases.IsEarlierProcessOfThisNode(run.LeaseOwner))
            {
                store.ReleaseLease(run.Id, run.LeaseOwner);
                due.Add(run.Id);
            }
        }

        return due;
    }

    /// <summary>A Pending run can still carry the lease of this node's previous process (killed mid-resume): let it go, as for Running runs.</summary>
    private string ReleaseEarlierProcessLease(Run run)
    {
        if (run.LeaseOwner is { } owner && leases.IsEarlierProcessOfThisNode(owner))
        {
            store.ReleaseLease(run.Id, owner);
        }

        return run.Id;
    }

    private int ResumeDecidedApprovals()
    {
        var resumed = 0;
        foreach (var run in Implemented(RunStatus.Waiting))
        {
            if (run.WaitingFor is { } waitingFor && waitingFor.StartsWith(ApprovalWait, StringComparison.Ordinal)
                && approvals.Get(waitingFor[ApprovalWait.Length..]) is { IsOpen: false })
            {
                jobs.Enqueue<RunExecutor>(x => x.ResumeAsync(run.Id, waitingFor, CancellationToken.None));
                resumed++;
            }
        }

        return resumed;
    }

    private IEnumerable<Run> Implemented(RunStatus status) => registry.Names.SelectMany(workflow => store.RunsWithStatus(status, workflow, Limit));
}

/// <summary>Removes the run sweeper's former Hangfire recurring job from existing job stores (the sweep runs in-process now).</summary>
internal sealed class RunSweeperStartup(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.RemoveIfExists(RunSweeper.LegacyRecurringJobId);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
