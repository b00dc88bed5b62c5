using System.Globalization;
using System.Linq.Expressions;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage.SQLite;
using HubSpotOrchestrator.Hosting;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Tests.Hosting;

/// <summary>
/// Hangfire jobs orphaned by a dead server are fetched again once Jobs:InvisibilityTimeout has passed, while jobs that
/// run long in a live process are kept fetched (<see cref="JobKeepAlive"/>) and so never picked twice.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class JobRecoveryTests
{
    private const string DeadServer = "dead-host:4242:0a1b2c3d";

    [Fact]
    public async Task RoutingJobLeftProcessingByADeadServer_RunsAgainOnceTheInvisibilityTimeoutPassed()
    {
        using var app = new OrchestratorFactory();
        app.Settings["Jobs:InvisibilityTimeout"] = "00:00:05";
        _ = app.CreateClient();
        var inbox = app.Service<IInboxStore>();
        var parsed = WebhookBatchParser.Parse(Fixtures.HubSpot("deal-contractsent-large"), "b-orphaned", DateTime.UtcNow, out _)!;
        var written = inbox.AcceptBatch(parsed.Events, []);
        inbox.MarkDispatched([written.BatchId!], DateTime.UtcNow);
        var ids = written.AcceptedIds.ToArray();

        var jobId = Orphan(app, r => r.RouteAsync(ids, CancellationToken.None), fetchedAgo: TimeSpan.Zero);
        var orphanedAt = DateTime.UtcNow;

        await Eventually.TrueAsync(() => inbox.Find("62515:102")?.Status == InboxStatus.Routed, "orphaned routing job run again");
        Assert.True(DateTime.UtcNow - orphanedAt >= TimeSpan.FromSeconds(4.5), "fetched again only once the invisibility timeout (5 s) passed");
        await Eventually.TrueAsync(() => State(app, jobId) == SucceededState.StateName, () => $"job {jobId} succeeded (is {State(app, jobId)})");
    }

    [Fact]
    public async Task JobRunningHere_IsKeptFetched_ButADeadServersJobIsNot()
    {
        using var app = new RecordingApp(gated: true);
        await app.StartAsync();
        var run = app.StartRecording();
        await app.Workflow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var keepAlive = app.Service<JobKeepAlive>();
        await Eventually.TrueAsync(() => keepAlive.Performing.Count == 1, "the run's job tracked as performed here");
        var running = keepAlive.Performing.Single();

        var dead = int.Parse(Orphan(app, r => r.RouteAsync(Array.Empty<string>(), CancellationToken.None), fetchedAgo: TimeSpan.FromSeconds(2)), CultureInfo.InvariantCulture);
        var deadFetchedAt = FetchedAt(app, dead);
        SetFetchedAt(app, running, DateTime.UtcNow.AddSeconds(-15));
        var before = DateTime.UtcNow;

        Assert.Equal(1, keepAlive.Refresh());

        Assert.True(FetchedAt(app, running) >= before, "the running job's fetch time is now");
        Assert.Equal(deadFetchedAt, FetchedAt(app, dead));

        app.Workflow.Gate.SetResult();
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        await Eventually.TrueAsync(() => keepAlive.Performing.Count == 0, "no job performed here any more");
        Assert.Equal(0, keepAlive.Refresh());
    }

    /// <summary>
    /// A job as a server that died while performing it leaves it: Processing on that server, its queue entry fetched
    /// <paramref name="fetchedAgo"/> ago. Created in a queue nobody serves, so no live worker takes it in between.
    /// </summary>
    private static string Orphan(OrchestratorFactory app, Expression<Func<IInboxRouter, Task>> job, TimeSpan fetchedAgo)
    {
        var client = app.Service<IBackgroundJobClient>();
        var id = client.Create(job, new EnqueuedState("parked"));
        Assert.True(client.ChangeState(id, new ProcessingOnADeadServer(), EnqueuedState.StateName));
        using var db = Storage(app).CreateAndOpenConnection();
        db.Database.Execute("UPDATE JobQueue SET Queue = 'default', FetchedAt = ? WHERE JobId = ?", DateTime.UtcNow - fetchedAgo, int.Parse(id, CultureInfo.InvariantCulture));
        return id;
    }

    private static DateTime FetchedAt(OrchestratorFactory app, int jobId)
    {
        using var db = Storage(app).CreateAndOpenConnection();
        return new DateTime(db.Database.ExecuteScalar<long>("SELECT FetchedAt FROM JobQueue WHERE JobId = ?", jobId), DateTimeKind.Utc);
    }

    private static void SetFetchedAt(OrchestratorFactory app, int jobId, DateTime at)
    {
        using var db = Storage(app).CreateAndOpenConnection();
        db.Database.Execute("UPDATE JobQueue SET FetchedAt = ? WHERE JobId = ?", at, jobId);
    }

    private static string? State(OrchestratorFactory app, string jobId)
    {
        using var connection = app.Service<JobStorage>().GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }

    private static SQLiteStorage Storage(OrchestratorFactory app) => (SQLiteStorage)app.Service<JobStorage>();

    /// <summary>Hangfire's Processing state as the dead server recorded it (ProcessingState's constructor is Hangfire's own).</summary>
    private sealed class ProcessingOnADeadServer : IState
    {
        public string Name => ProcessingState.StateName;

        public string Reason => "performed by a server that died";

        public bool IsFinal => false;

        public bool IgnoreJobLoadException => false;

        public Dictionary<string, string> SerializeData() => new()
        {
            ["StartedAt"] = JobHelper.SerializeDateTime(DateTime.UtcNow),
            ["ServerId"] = DeadServer,
            ["WorkerId"] = "worker-7",
        };
    }
}
