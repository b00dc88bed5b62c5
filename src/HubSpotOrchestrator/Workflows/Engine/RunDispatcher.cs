using System.Threading.Channels;
using Hangfire;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>
/// Starting a run hands its id to this in-process queue; the pump enqueues one Hangfire job per batch of ids, because
/// Hangfire on SQLite manages about a hundred jobs a second here, far fewer than runs can execute. A run whose id is
/// lost (a crash before the enqueue) is still Pending in the store, and the run sweeper starts it again.
/// </summary>
internal sealed class RunDispatcher
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<string> Reader => _queue.Reader;

    public void Post(string runId) => _queue.Writer.TryWrite(runId);
}

internal sealed class RunDispatchPump(RunDispatcher dispatcher, IBackgroundJobClient jobs, IOptions<WorkflowOptions> options, ILogger<RunDispatchPump> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<string>();
        while (await dispatcher.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < options.Value.RunsPerJob && dispatcher.Reader.TryRead(out var id))
            {
                batch.Add(id);
            }

            var ids = batch.Distinct(StringComparer.Ordinal).ToArray();
            try
            {
                jobs.Enqueue<RunExecutor>(x => x.ExecuteManyAsync(ids, CancellationToken.None));
            }
            #pragma warning disable CA1031 // the dispatch loop must outlive a failed enqueue; the run sweeper starts the runs
            catch (Exception ex)
            #pragma warning restore CA1031
            {
                logger.LogError(ex, "Could not enqueue {RunCount} runs; the run sweeper will start them", ids.Length);
            }
        }
    }
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
