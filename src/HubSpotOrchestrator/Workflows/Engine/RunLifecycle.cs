using HubSpotOrchestrator.Audit;

namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>Run state changes shared by the executor and the operator actions: ordering per record, endings, exceptions.</summary>
internal sealed class RunLifecycle(
    IRunStore runs,
    IRunEngineStore store,
    WorkflowRegistry registry,
    RunDispatcher dispatcher,
    IAuditLog audit,
    IEnumerable<IRunObserver> observers,
    TimeProvider clock,
    ILogger<RunLifecycle> logger)
{
    public const string System = AuditActors.System;

    /// <summary>Records why a run is not moving (paused, queued, no implementation) without changing its status.</summary>
    public void Note(Run run, string reason)
    {
        if (run.StatusReason == reason)
        {
            return;
        }

        run.StatusReason = reason;
        run.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        runs.Update(run);
    }

    /// <summary>
    /// Runs of one workflow for one record go one at a time, oldest event first. A newer run may supersede
    /// older waiting ones when the workflow says so (e.g. a changed deal amount replaces a pending approval).
    /// </summary>
    public async Task<bool> IsFirstInLineAsync(Run run, IWorkflow workflow, CancellationToken ct)
    {
        var open = store.OpenRunsForSubject(run.Workflow, run.PortalId, run.SubjectType, run.SubjectId);
        var older = open.TakeWhile(r => r.Id != run.Id).ToList();
        if (older.Count == 0)
        {
            return true;
        }

        if (workflow.NewerRunSupersedesWaiting)
        {
            foreach (var waiting in older.Where(r => r.Status == RunStatus.Waiting))
            {
                await workflow.OnSupersededAsync(waiting, run, ct);
                await CancelAsync(waiting, System, $"superseded by run {run.Id}", ct, startNext: false);
            }

            older = [.. older.Where(r => !r.IsTerminal)];
            if (older.Count == 0)
            {
                return true;
            }
        }

        Note(run, $"queued behind run {older[0].Id} for the same {run.SubjectType}");
        return false;
    }

    public async Task SucceedAsync(Run run, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        run.Status = RunStatus.Succeeded;
        run.WaitingFor = null;
        run.CompletedAt = now;
        run.UpdatedAt = now;
        run.LeaseOwner = null;
        run.LeaseUntil = null;
        runs.Update(run);
        audit.Append(System, "run.succeeded", "run:" + run.Id, "succeeded", now, run.CorrelationId, details: new Dictionary<string, string> { ["workflow"] = run.Workflow });
        logger.LogInformation("Run {RunId} ({Workflow}) succeeded", run.Id, run.Workflow);
        foreach (var observer in observers)
        {
            await observer.RunEndedAsync(run, ct);
        }

        StartNext(run);
    }

    public async Task CancelAsync(Run run, string actor, string reason, CancellationToken ct, bool startNext = true)
    {
        if (run.IsTerminal)
        {
            return;
        }

        if (registry.TryGet(run.Workflow, out var workflow))
        {
            await workflow.OnCancelledAsync(run, actor, reason, ct);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        run.Status = RunStatus.Cancelled;
        run.StatusReason = reason;
        run.WaitingFor = null;
        run.CompletedAt = now;
        run.UpdatedAt = now;
        runs.Update(run);
        foreach (var open in store.Exceptions(ExceptionStatus.Open, run.Id, 100))
        {
            store.TryResolveException(open.Id, "run cancelled: " + reason, actor, now);
        }

        audit.Append(actor, "run.cancelled", "run:" + run.Id, "cancelled", now, run.CorrelationId, details: new Dictionary<string, string> { ["reason"] = reason });
        logger.LogInformation("Run {RunId} cancelled by {Actor}: {Reason}", run.Id, actor, reason);
        foreach (var observer in observers)
        {
            await observer.RunEndedAsync(run, ct);
        }

        if (startNext)
        {
            StartNext(run);
        }
    }

    /// <summary>A step failed for good: the run waits for a person, with the fixes on offer.</summary>
    public ExceptionRecord RaiseException(Run run, RunStep step, string kind, string error, string? system, string? suggestedFix, string? missingValue)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var record = new ExceptionRecord
        {
            Id = $"exc_{run.Id[4..]}_{step.Index}_{step.Attempts}",
            RunId = run.Id,
            Workflow = run.Workflow,
            Step = step.Name,
            CorrelationId = run.CorrelationId,
            Kind = kind,
            Error = error,
            System = system,
            SuggestedFix = suggestedFix,
            MissingValue = missingValue,
            Fixes = missingValue is null ? ["retry", "skip", "cancel"] : ["supply", "retry", "skip", "cancel"],
            Status = ExceptionStatus.Open,
            CreatedAt = now,
        };
        store.SaveException(record);
        step.Status = StepStatus.Failed;
        step.Error = error;
        run.Status = RunStatus.Failed;
        run.WaitingFor = "exception:" + record.Id;
        run.StatusReason = $"step {step.Name} failed: {error}";
        run.UpdatedAt = now;
        store.Checkpoint(run, step);
        audit.Append(System, "exception.raised", "exception:" + record.Id, kind, now, run.CorrelationId,
            details: new Dictionary<string, string> { ["run"] = run.Id, ["step"] = step.Name, ["error"] = error });
        logger.LogWarning("Run {RunId} step {Step} failed for good ({Kind}): {Error}; exception {ExceptionId}", run.Id, step.Name, kind, error, record.Id);
        foreach (var observer in observers)
        {
            observer.ExceptionRaised(run, record);
        }

        return record;
    }

    public void Start(string runId) => dispatcher.Post(runId);

    private void StartNext(Run finished)
    {
        var open = store.OpenRunsForSubject(finished.Workflow, finished.PortalId, finished.SubjectType, finished.SubjectId);
        if (open.Count > 0 && open[0] is { Status: RunStatus.Pending } next)
        {
            Start(next.Id);
        }
    }
}

/// <summary>Hears about runs ending and exceptions being raised (e.g. to prompt people in a channel).</summary>
public interface IRunObserver
{
    Task RunEndedAsync(Run run, CancellationToken ct);

    void ExceptionRaised(Run run, ExceptionRecord exception);
}
