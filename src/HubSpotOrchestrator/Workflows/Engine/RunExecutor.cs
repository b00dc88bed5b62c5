using Hangfire;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.Integrations;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>
/// Hangfire job that advances one run: steps in order, a checkpoint after each, retries with backoff for
/// transient failures, an Exception record for permanent ones, and waits as data. Hangfire may run it twice;
/// a lease keeps two workers off one run and checkpointed steps are never redone.
/// </summary>
internal sealed class RunExecutor(
    IRunStore runs,
    IRunEngineStore store,
    WorkflowRegistry registry,
    IBackgroundJobClient jobs,
    RunLifecycle lifecycle,
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

        var owner = Guid.NewGuid().ToString("N");
        run = store.TryLease(run.Id, owner, clock.GetUtcNow().UtcDateTime, options.Value.LeaseDuration);
        if (run is null || run.IsTerminal || run.Status is RunStatus.Waiting or RunStatus.Failed)
        {
            return;
        }

        try
        {
            await AdvanceAsync(run, workflow, ct);
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

    private async Task AdvanceAsync(Run run, IWorkflow workflow, CancellationToken ct)
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
                HandleFailure(run, step, ex);
                return;
            }

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
                    return;
                case StepResult.FailResult fail:
                    lifecycle.RaiseException(run, step, fail.Kind, fail.Error, null, fail.SuggestedFix, fail.MissingValue);
                    return;
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

        await lifecycle.SucceedAsync(run, ct);
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

    private static void MarkStarted(Run run, RunStep step, DateTime now)
    {
        step.Status = StepStatus.Running;
        step.Attempts++;
        step.StartedAt ??= now;
        run.Status = RunStatus.Running;
        run.StatusReason = null;
        run.UpdatedAt = now;
    }

    private void HandleFailure(Run run, RunStep step, Exception ex)
    {
        var integration = ex as IntegrationException;
        var kind = integration?.Kind ?? FailureKind.Transient;
        var o = options.Value;
        if (kind == FailureKind.Transient && step.Attempts < o.MaxAttempts)
        {
            var delay = RetryPolicy.Delay(step.Attempts, o.RetryBaseDelay, o.RetryMaxDelay, integration?.RetryAfter, Random.Shared);
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
