using Hangfire;
using Microsoft.Extensions.Options;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>
/// Starting a run hands its id to this in-process queue; the pump enqueues one Hangfire job per batch of ids, because
/// Hangfire on SQLite manages about a hundred jobs a second here, far fewer than runs can execute. A run whose id is
/// lost (a crash before the enqueue) is still Pending in the store, and the run sweeper starts it again.
/// </summary>
internal sealed class RunDispatcher(IBackgroundJobClient jobs, IOptions<WorkflowOptions> options, TimeProvider clock, ILogger<RunDispatcher> logger)
    : Shared.BatchingJobPump<string>(clock, logger)
{
    protected override int MaxBatchWeight => options.Value.RunsPerJob;

    protected override void Enqueue(IReadOnlyList<string> runIds)
    {
        var ids = runIds.Distinct(StringComparer.Ordinal).ToArray();
        jobs.Enqueue<RunExecutor>(x => x.ExecuteManyAsync(ids, CancellationToken.None));
    }

    protected override void OnEnqueueFailed(Exception exception, IReadOnlyList<string> batch, int weight) =>
        Logger.LogError(exception, "Could not enqueue {RunCount} runs; the run sweeper will start them", batch.Distinct(StringComparer.Ordinal).Count());
}

/// <summary>Recurring job: starts runs left Pending without progress (their start was lost in a crash).</summary>
internal sealed class RunSweeper(IRunEngineStore store, WorkflowRegistry registry, RunDispatcher dispatcher, IOptions<WorkflowOptions> options, TimeProvider clock, ILogger<RunSweeper> logger)
{
    public const string RecurringJobId = "run-sweeper";

    [DisableConcurrentExecution(60)]
    [AutomaticRetry(Attempts = 0)]
    public Task<int> SweepAsync()
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - options.Value.RestartPendingAfter;
        var stale = store.RunsWithStatus(RunStatus.Pending, null, 10_000)
            .Where(r => r.UpdatedAt < cutoff && (r.NextAttemptAt is null || r.NextAttemptAt < cutoff) && registry.TryGet(r.Workflow, out _))
            .ToList();
        foreach (var run in stale)
        {
            dispatcher.Post(run.Id);
        }

        if (stale.Count > 0)
        {
            logger.LogWarning("Run sweeper restarted {RunCount} runs left Pending", stale.Count);
        }

        return Task.FromResult(stale.Count);
    }
}

internal sealed class RunSweeperStartup(IRecurringJobManager recurring, IOptions<WorkflowOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<RunSweeper>(RunSweeper.RecurringJobId, s => s.SweepAsync(), options.Value.SweepCron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
