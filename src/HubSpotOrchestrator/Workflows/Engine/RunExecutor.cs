using Hangfire;
using HubSpotOrchestrator.Integrations;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>
/// Hangfire job that advances one run: steps in order, a checkpoint after each, retries with backoff for
/// transient failures, an Exception record for permanent ones, and waits as data. Hangfire may run it twice;
/// a lease keeps two workers off one run and checkpointed steps are never redone. The lease is renewed while a step
/// runs (<see cref="LeaseHeartbeat"/>), so only a dead worker's run is taken over (<see cref="RunSweeper"/>).
/// </summary>
internal sealed class RunExecutor(
    IRunStore runs,
    IRunEngineStore store,
    WorkflowRegistry registry,
    IBackgroundJobClient jobs,
    RunLifecycle lifecycle,
    RunLeases leases,
    IOptions<WorkflowOptions> options,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<RunExecutor> logger)
{
    /// <summary>Executes a batch of runs, several at a time; runs already done or waiting are skipped, so a retry is harmless.</summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task ExecuteManyAsync(string[] runIds, CancellationToken ct)
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        await Parallel.ForEachAsync(runIds, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = ct }, async (id, token) =>
        {
            try
            {
                await ExecuteAsync(id, token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Run {RunId} could not be executed; the batch will be retried", id);
                failures.Add(ex);
            }
        });
        if (!failures.IsEmpty)
        {
            throw new AggregateException($"{failures.Count} of {runIds.Length} runs failed to execute", failures);
        }
    }

    // Step retries are the engine's own (per step, with Retry-After); Hangfire retries only cover infrastructure faults.
    [AutomaticRetry(Attempts = 5)]
    public async Task ExecuteAsync(string runId, CancellationToken ct)
    {
        var run = runs.Get(runId);
        if (run is null || run.IsTerminal || run.Status is RunStatus.Waiting or RunStatus.Failed)
        {
            return;
        }

        using var scope = logger.BeginScope("CorrelationId:{CorrelationId} Run:{RunId}", run.CorrelationId, run.Id);
        if (!registry.TryGet(run.Workflow, out var workflow))
        {
            lifecycle.Note(run, $"workflow {run.Workflow} has no implementation yet; the run stays Pending");
            return;
        }

        if (store.IsPaused(run.Workflow))
        {
            lifecycle.Note(run, $"workflow {run.Workflow} is paused; the run starts when it is resumed");
            return;
        }

        if (!await lifecycle.IsFirstInLineAsync(run, workflow, ct))
        {
            return;
        }

        var owner = leases.NewOwner();
        var duration = options.Value.LeaseDuration;
        run = store.TryLease(run.Id, owner, clock.GetUtcNow().UtcDateTime, duration);
        if (run is null || run.IsTerminal || run.Status is RunStatus.Waiting or RunStatus.Failed)
        {
            return;
        }

        var lease = new LeaseHeartbeat(store, run.Id, owner, duration, clock, logger, ct);
        try
        {
            bool finished;
            await using (lease)
            {
                finished = await AdvanceAsync(run, workflow, lease.Token);
            }

            if (finished)
            {
                await lifecycle.SucceedAsync(run, ct);
            }
        }
        catch (OperationCanceledException) when (lease.Lost)
        {
            // The new holder carries the run on from the last checkpoint; nothing of this execution was saved after the loss.
            logger.LogWarning("Run {RunId} was taken over by another worker after lease {Owner} ran out; this execution stopped", run.Id, owner);
        }
        finally
        {
            store.ReleaseLease(run.Id, owner);
        }
    }

    /// <summary>Continues a waiting run once what it waited for (an approval decision, a timer) happened.</summary>
    [AutomaticRetry(Attempts = 5)]
    public Task ResumeAsync(string runId, string waitingFor, CancellationToken ct)
    {
        var run = runs.Get(runId);
        if (run?.Status == RunStatus.Running && run.LeaseUntil > clock.GetUtcNow().UtcDateTime)
        {
            // The decision came before the run finished saving its wait: look again shortly.
            jobs.Schedule<RunExecutor>(x => x.ResumeAsync(runId, waitingFor, CancellationToken.None), TimeSpan.FromSeconds(1));
            return Task.CompletedTask;
        }

        if (run is null || run.Status != RunStatus.Waiting || run.WaitingFor != waitingFor)
        {
            return Task.CompletedTask;
        }

        run.Status = RunStatus.Pending;
        run.WaitingFor = null;
        run.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        runs.Update(run);
        return ExecuteAsync(runId, ct);
    }

    /// <summary>
    /// Executes the steps from the run's current one; true when all are done (the caller then ends the run). <paramref name="ct"/>
    /// is the lease's token: once the lease is lost nothing more is checkpointed, so the new holder's state is never overwritten.
    /// </summary>
    private async Task<bool> AdvanceAsync(Run run, IWorkflow workflow, CancellationToken ct)
    {
        RunStep? started = null;
        while (run.CurrentStep < workflow.Steps.Count)
        {
            var definition = workflow.Steps[run.CurrentStep];
            var now = clock.GetUtcNow().UtcDateTime;
            RunStep step;
            if (started?.Name == definition.Name)
            {
                // Saved as started together with the previous step's checkpoint.
                step = started;
            }
            else
            {
                step = store.GetStep(run.Id, definition.Name)
                    ?? new RunStep { Id = $"{run.Id}:{definition.Name}", RunId = run.Id, Name = definition.Name, Index = run.CurrentStep };
                if (step.Status is StepStatus.Succeeded or StepStatus.Skipped)
                {
                    run.CurrentStep++;
                    continue;
                }

                ct.ThrowIfCancellationRequested();
                MarkStarted(run, step, now);
                store.Checkpoint(run, step);
            }

            started = null;

            StepResult result;
            try
            {
                result = await definition.Execute(new StepContext(run, step, services, clock), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                ct.ThrowIfCancellationRequested();
                HandleFailure(run, step, ex);
                return false;
            }

            ct.ThrowIfCancellationRequested();
            now = clock.GetUtcNow().UtcDateTime;
            switch (result)
            {
                case StepResult.CompletedResult completed:
                    started = Complete(run, step, completed.Output, now, workflow);
                    break;
                case StepResult.WaitResult wait:
                    step.Status = StepStatus.Waiting;
                    run.Status = RunStatus.Waiting;
                    run.WaitingFor = wait.WaitingFor;
                    run.UpdatedAt = now;
                    store.Checkpoint(run, step);
                    logger.LogInformation("Run {RunId} waits for {WaitingFor} at step {Step}", run.Id, wait.WaitingFor, step.Name);
                    return false;
                case StepResult.FailResult fail:
                    lifecycle.RaiseException(run, step, fail.Kind, fail.Error, null, fail.SuggestedFix, fail.MissingValue);
                    return false;
                case StepResult.FinishResult finish:
                    Complete(run, step, finish.Output, now, null);
                    foreach (var later in workflow.Steps.Skip(run.CurrentStep))
                    {
                        store.SaveStep(new RunStep
                        {
                            Id = $"{run.Id}:{later.Name}", RunId = run.Id, Name = later.Name, Index = workflow.Steps.ToList().IndexOf(later),
                            Status = StepStatus.Skipped, SkipReason = finish.Reason, CompletedAt = now,
                        });
                    }

                    run.CurrentStep = workflow.Steps.Count;
                    run.StatusReason = finish.Reason;
                    break;
            }
        }

        return true;
    }

    /// <summary>Checkpoints a completed step; the next step, if it has not run before, is saved as started in the same write.</summary>
    private RunStep? Complete(Run run, RunStep step, string? output, DateTime now, IWorkflow? workflow)
    {
        step.Status = StepStatus.Succeeded;
        step.Output = output;
        step.Error = null;
        step.CompletedAt = now;
        if (output is not null)
        {
            run.Data["step:" + step.Name] = output;
        }

        run.CurrentStep++;
        run.UpdatedAt = now;
        run.LeaseUntil = now + options.Value.LeaseDuration;
        RunStep? next = null;
        if (workflow is not null && run.CurrentStep < workflow.Steps.Count)
        {
            var name = workflow.Steps[run.CurrentStep].Name;
            next = store.GetStep(run.Id, name) is null ? new RunStep { Id = $"{run.Id}:{name}", RunId = run.Id, Name = name, Index = run.CurrentStep } : null;
            if (next is not null)
            {
                MarkStarted(run, next, now);
            }
        }

        store.Checkpoint(run, step, next);
        return next;
    }

    /// <summary>
    /// Marks the step started; the run is saved Running with its lease extended from now, as the heartbeat would (a
    /// checkpoint writes the whole run, and must not put back the lease end of when this execution began).
    /// </summary>
    private void MarkStarted(Run run, RunStep step, DateTime now)
    {
        step.Status = StepStatus.Running;
        step.Attempts++;
        step.StartedAt ??= now;
        run.Status = RunStatus.Running;
        run.StatusReason = null;
        run.UpdatedAt = now;
        run.LeaseUntil = now + options.Value.LeaseDuration;
    }

    private void HandleFailure(Run run, RunStep step, Exception ex)
    {
        var integration = ex as IntegrationException;
        var kind = integration?.Kind ?? FailureKind.Transient;
        var o = options.Value;
        if (kind == FailureKind.Transient && step.Attempts < o.MaxAttempts)
        {
            var delay = Shared.Backoff.Delay(step.Attempts, o.RetryBaseDelay, o.RetryMaxDelay, integration?.RetryAfter);
            var now = clock.GetUtcNow().UtcDateTime;
            step.Status = StepStatus.Pending;
            step.Error = ex.Message;
            run.Status = RunStatus.Pending;
            run.NextAttemptAt = now + delay;
            run.StatusReason = $"step {step.Name} failed (attempt {step.Attempts} of {o.MaxAttempts}), retrying in {delay.TotalSeconds:0.#} s: {ex.Message}";
            run.UpdatedAt = now;
            store.Checkpoint(run, step);
            jobs.Schedule<RunExecutor>(x => x.ExecuteAsync(run.Id, CancellationToken.None), delay);
            logger.LogWarning("Run {RunId} step {Step} attempt {Attempt} failed transiently; retry in {Delay}: {Error}", run.Id, step.Name, step.Attempts, delay, ex.Message);
            return;
        }

        var kindName = kind == FailureKind.Transient ? "RetriesExhausted" : kind.ToString();
        if (integration is null)
        {
            logger.LogError(ex, "Run {RunId} step {Step} failed", run.Id, step.Name);
        }

        lifecycle.RaiseException(run, step, kindName, ex.Message, integration?.System, integration?.Fix, null);
    }
}
