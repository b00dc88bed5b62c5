using Hangfire;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Workflows.Engine;

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
