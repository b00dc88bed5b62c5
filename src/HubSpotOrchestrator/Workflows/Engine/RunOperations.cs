using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.Routing;

namespace HubSpotOrchestrator.Workflows.Engine;

public enum OperationStatus
{
    Done,
    NotFound,
    Conflict,
    Invalid,
}

public sealed record OperationResult(OperationStatus Status, string Message, string? RunId = null)
{
    public static OperationResult Done(string message, string? runId = null) => new(OperationStatus.Done, message, runId);

    public static OperationResult NotFound(string message) => new(OperationStatus.NotFound, message);

    public static OperationResult Conflict(string message) => new(OperationStatus.Conflict, message);

    public static OperationResult Invalid(string message) => new(OperationStatus.Invalid, message);
}

/// <summary>
/// What people do to runs and exceptions: cancel, retry, replay, pause, and the exception fixes (retry now,
/// skip with a reason, supply a missing value, cancel). Every action is audited. The API and chat buttons call these.
/// </summary>
internal sealed class RunOperations(IRunStore runs, IRunEngineStore store, RunLifecycle lifecycle, IAuditLog audit, TimeProvider clock)
{
    public async Task<OperationResult> CancelRunAsync(string runId, string actor, string? reason, CancellationToken ct)
    {
        var run = runs.Get(runId);
        if (run is null)
        {
            return OperationResult.NotFound($"No run with id '{runId}'.");
        }

        if (run.IsTerminal)
        {
            return OperationResult.Conflict($"Run {runId} is already {run.Status}.");
        }

        await lifecycle.CancelAsync(run, actor, string.IsNullOrWhiteSpace(reason) ? "cancelled by " + actor : reason, ct);
        return OperationResult.Done($"Run {runId} cancelled.", runId);
    }

    /// <summary>Retries a failed run from its failed step.</summary>
    public OperationResult RetryRun(string runId, string actor)
    {
        var run = runs.Get(runId);
        if (run is null)
        {
            return OperationResult.NotFound($"No run with id '{runId}'.");
        }

        var open = store.Exceptions(ExceptionStatus.Open, runId, 1);
        return run.Status != RunStatus.Failed || open.Count == 0
            ? OperationResult.Conflict($"Run {runId} is {run.Status}; only a failed run can be retried.")
            : Fix(open[0].Id, actor, "retry", null, null, null);
    }

    /// <summary>Starts the workflow again from the first step as a new run linked to the old one.</summary>
    public OperationResult ReplayRun(string runId, string actor)
    {
        var old = runs.Get(runId);
        if (old is null)
        {
            return OperationResult.NotFound($"No run with id '{runId}'.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var replay = new Run
        {
            Id = "run_" + Guid.CreateVersion7().ToString("N")[..20],
            Workflow = old.Workflow,
            Status = RunStatus.Pending,
            SubjectType = old.SubjectType,
            SubjectId = old.SubjectId,
            PortalId = old.PortalId,
            CorrelationId = old.CorrelationId,
            EventKey = old.EventKey,
            RuleSetVersion = old.RuleSetVersion,
            MatchedRules = old.MatchedRules,
            RoutingInput = old.RoutingInput,
            TriggeredBy = old.TriggeredBy,
            OccurredAt = now,
            CreatedAt = now,
            UpdatedAt = now,
            ReplayOf = old.Id,
        };
        runs.TryCreate(replay);
        audit.Append(actor, "run.replayed", "run:" + old.Id, "replayed", now, old.CorrelationId, details: new Dictionary<string, string> { ["newRun"] = replay.Id });
        lifecycle.Start(replay.Id);
        return OperationResult.Done($"Run {old.Id} replayed as {replay.Id}.", replay.Id);
    }

    public OperationResult SetPaused(string workflow, bool paused, string actor)
    {
        if (!WorkflowNames.All.Contains(workflow))
        {
            return OperationResult.NotFound($"No workflow '{workflow}'; known: {string.Join(", ", WorkflowNames.All)}.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        store.SetPaused(workflow, paused, actor, now);
        audit.Append(actor, paused ? "workflow.paused" : "workflow.resumed", "workflow:" + workflow, "done", now);
        if (!paused)
        {
            foreach (var run in store.RunsWithStatus(RunStatus.Pending, workflow, 10_000))
            {
                lifecycle.Start(run.Id);
            }
        }

        return OperationResult.Done($"Workflow {workflow} {(paused ? "paused: new runs wait" : "resumed")}.");
    }

    /// <summary>Applies one fix to an open exception: "retry", "skip" (needs a reason), "supply" (needs name and value), "cancel".</summary>
    public OperationResult Fix(string exceptionId, string actor, string fix, string? reason, string? valueName, string? value, string? channel = null)
    {
        var record = store.GetException(exceptionId);
        if (record is null)
        {
            return OperationResult.NotFound($"No exception with id '{exceptionId}'.");
        }

        if (!record.Fixes.Contains(fix))
        {
            return OperationResult.Invalid($"'{fix}' is not a fix for exception {exceptionId}; offered: {string.Join(", ", record.Fixes)}.");
        }

        if (fix == "skip" && string.IsNullOrWhiteSpace(reason))
        {
            return OperationResult.Invalid("Skipping a step needs a reason.");
        }

        if (fix == "supply" && (string.IsNullOrWhiteSpace(valueName) || value is null))
        {
            return OperationResult.Invalid($"Supplying a value needs a name (here: {record.MissingValue}) and a value.");
        }

        var run = runs.Get(record.RunId);
        if (run is null || run.IsTerminal)
        {
            return OperationResult.Conflict($"Run {record.RunId} is no longer open.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var resolution = fix switch
        {
            "skip" => "skipped: " + reason,
            "supply" => $"supplied {valueName}",
            "cancel" => "cancelled" + (string.IsNullOrWhiteSpace(reason) ? "" : ": " + reason),
            _ => "retried",
        };
        if (!store.TryResolveException(exceptionId, resolution, actor, now))
        {
            return OperationResult.Conflict($"Exception {exceptionId} was already resolved ({record.Resolution} by {record.ResolvedBy}).");
        }

        audit.Append(actor, "exception." + fix, "exception:" + exceptionId, "done", now, record.CorrelationId, channel,
            details: new Dictionary<string, string> { ["run"] = run.Id, ["step"] = record.Step, ["resolution"] = resolution });
        if (fix == "cancel")
        {
            lifecycle.CancelAsync(run, actor, reason ?? "cancelled from exception " + exceptionId, CancellationToken.None).GetAwaiter().GetResult();
            return OperationResult.Done($"Run {run.Id} cancelled.", run.Id);
        }

        var step = store.GetStep(run.Id, record.Step) ?? throw new InvalidOperationException($"Step {record.Step} of run {run.Id} is missing.");
        if (fix == "supply")
        {
            run.Data["supplied:" + valueName] = value!;
        }

        if (fix == "skip")
        {
            step.Status = StepStatus.Skipped;
            step.SkipReason = reason;
            step.CompletedAt = now;
            run.CurrentStep = step.Index + 1;
        }
        else
        {
            step.Status = StepStatus.Pending;
            step.Attempts = 0;
        }

        run.Status = RunStatus.Pending;
        run.WaitingFor = null;
        run.StatusReason = resolution + " by " + actor;
        run.UpdatedAt = now;
        store.Checkpoint(run, step);
        lifecycle.Start(run.Id);
        return OperationResult.Done($"Exception {exceptionId} {resolution}; run {run.Id} continues.", run.Id);
    }
}
