using Hangfire;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Engine;
using LiteDB;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Storage;

/// <summary>
/// Recurring job: removes finished work older than <see cref="RetentionOptions"/> from the data file, in small
/// transactions so the owner thread keeps serving requests in between, then checkpoints the log into the file, and
/// rebuilds the file when a run removed a lot. Approvals and the audit log are never removed.
/// </summary>
internal sealed class LiteRetention(LiteDbContext db, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<LiteRetention> logger)
{
    public const string RecurringJobId = "retention";
    private const int Chunk = 200;

    public sealed record Removed(int Events, int Quarantined, int Runs, int Steps, int Exceptions, int Prompts)
    {
        public int Total => Events + Quarantined + Runs + Steps + Exceptions + Prompts;
    }

    [DisableConcurrentExecution(600)]
    [AutomaticRetry(Attempts = 0)]
    public Task<Removed> PurgeAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var o = options.Value;
        var (events, quarantined) = PurgeEvents(now - o.Events);
        var (runs, steps, exceptions) = PurgeRuns(now - o.FinishedRuns);
        var prompts = PurgePrompts(now - o.DeliveredPrompts);
        var removed = new Removed(events, quarantined, runs, steps, exceptions, prompts);
        db.Maintain(() =>
        {
            db.Database.Checkpoint();
            return 0;
        });
        if (removed.Total > 0)
        {
            logger.LogInformation("Retention removed {Events} events, {Quarantined} quarantined, {Runs} runs ({Steps} steps, {Exceptions} exceptions), {Prompts} prompts",
                events, quarantined, runs, steps, exceptions, prompts);
        }

        if (o.CompactAfter > 0 && removed.Total >= o.CompactAfter)
        {
            var size = db.Maintain(() => db.Database.Rebuild());
            logger.LogInformation("Retention rebuilt the data file after removing {Total} documents: {Bytes} bytes given back", removed.Total, size);
        }

        return Task.FromResult(removed);
    }

    private (int Events, int Quarantined) PurgeEvents(DateTime cutoff)
    {
        int events = 0, batches;
        do
        {
            // Batches are routed as a whole: their RoutedAt index finds the old ones without scanning the inbox.
            (batches, var removed) = db.Write(() =>
            {
                // Between, not LT: LiteDB orders null before every date, and a batch not routed yet (RoutedAt null) must stay.
                var old = db.InboxBatches.Find(Query.Between(nameof(InboxBatch.RoutedAt), DateTime.MinValue, cutoff), limit: Chunk)
                    .Where(b => b.RoutedAt is { } routedAt && routedAt < cutoff).ToList();
                var count = 0;
                foreach (var batch in old)
                {
                    count += batch.EventIds.Count(id => db.Inbox.Delete(id));
                    db.InboxBatches.Delete(batch.Id);
                }

                return (old.Count, count);
            });
            events += removed;
        }
        while (batches == Chunk);

        var quarantined = db.Write(() => db.Quarantine.DeleteMany(Query.Between(nameof(QuarantinedEvent.ReceivedAt), DateTime.MinValue, cutoff)));
        return (events, quarantined);
    }

    private (int Runs, int Steps, int Exceptions) PurgeRuns(DateTime cutoff)
    {
        int runs = 0, steps = 0, exceptions = 0, seen;
        var skip = 0;
        do
        {
            (seen, var kept, var r, var s, var e) = db.Write(() =>
            {
                var old = db.Runs.Find(Query.Between(nameof(Run.CreatedAt), DateTime.MinValue, cutoff), skip: skip, limit: Chunk).ToList();
                var stepsCol = db.Database.GetCollection<RunStep>("run_steps");
                var exceptionsCol = db.Database.GetCollection<ExceptionRecord>("exceptions");
                int removedRuns = 0, removedSteps = 0, removedExceptions = 0;
                foreach (var run in old)
                {
                    var records = exceptionsCol.Find(x => x.RunId == run.Id).ToList();
                    if (!run.IsTerminal || run.UpdatedAt >= cutoff || records.Any(x => x.Status == ExceptionStatus.Open))
                    {
                        continue;
                    }

                    removedSteps += stepsCol.DeleteMany(x => x.RunId == run.Id);
                    removedExceptions += records.Count(x => exceptionsCol.Delete(x.Id));
                    removedRuns += db.Runs.Delete(run.Id) ? 1 : 0;
                }

                return (old.Count, old.Count - removedRuns, removedRuns, removedSteps, removedExceptions);
            });
            skip += kept;
            runs += r;
            steps += s;
            exceptions += e;
        }
        while (seen == Chunk);

        return (runs, steps, exceptions);
    }

    private int PurgePrompts(DateTime cutoff) => db.Write(() =>
    {
        var prompts = db.Database.GetCollection<Prompt>("prompts");
        var approvals = db.Database.GetCollection<Approval>("approvals");
        var old = prompts.Find(x => x.CreatedAt < cutoff).Where(p => p.Deliveries.Count > 0).ToList();
        return old.Count(p => (p.ApprovalId is null || approvals.FindById(p.ApprovalId) is not { IsOpen: true }) && prompts.Delete(p.Id));
    });
}

/// <summary>Registers the retention job with its schedule.</summary>
internal sealed class LiteRetentionStartup(IRecurringJobManager recurring, IOptions<RetentionOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<LiteRetention>(LiteRetention.RecurringJobId, r => r.PurgeAsync(), options.Value.Cron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
