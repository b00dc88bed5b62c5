using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Tests.Workflows.Engine;

/// <summary>
/// Runs whose worker died are taken over through their lease, and resume from their last checkpoint without repeating
/// a HubSpot write; a run whose worker is alive (it renews its lease) is never taken over.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RunRecoveryTests
{
    private const string OtherNodeOwner = "node-b/0a1b2c3d/4e5f6a7b";

    [Fact]
    public async Task RunLeftRunningByADeadWorkerOfAnotherNode_IsTakenOverOnceItsLeaseRanOut_WithoutRepeatingHubSpotWrites()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        var (run, patches, notes) = await WrittenBackAsync(app);

        // A worker of node-b died after write-back's deal update and note, before its checkpoint; 20 s of its lease are left.
        LeaveRunningAt(app, run.Id, "write-back", OtherNodeOwner, TimeSpan.FromSeconds(20));
        var sweeper = app.Service<RunSweeper>();

        Assert.Equal(0, await sweeper.SweepAsync());
        Assert.Equal((RunStatus.Running, OtherNodeOwner), (app.Run(run.Id).Status, app.Run(run.Id).LeaseOwner));

        app.Clock.Advance(TimeSpan.FromSeconds(21));
        Assert.Equal(1, await sweeper.SweepAsync());
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);

        Assert.Equal(2, app.Service<IRunEngineStore>().GetStep(run.Id, "write-back")!.Attempts);
        Assert.Equal((patches, notes), (app.DealPatches("9003"), app.NoteCreates()));
        Assert.Null(app.Run(run.Id).LeaseOwner);
    }

    [Fact]
    public async Task RunLeasedByAnEarlierProcessOfThisNode_IsTakenOverAtStartWithoutWaitingForTheLease()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        var (run, patches, notes) = await WrittenBackAsync(app);

        // kill -9, restart: the lease still has 25 s, but its process (same node, another process id) is gone.
        LeaveRunningAt(app, run.Id, "write-back", $"{app.Service<RunLeases>().Node}/0123456789abcdef/0123", TimeSpan.FromSeconds(25));
        var sweeper = app.Service<RunSweeper>();

        // The periodic sweep waits for the lease (only a second live process under this node name could hold it now);
        // the start-up pass, which runs while the service starts, takes it over.
        Assert.Equal(0, await sweeper.SweepAsync());
        Assert.Equal(1, sweeper.Recover());
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);

        Assert.Equal((patches, notes), (app.DealPatches("9003"), app.NoteCreates()));
    }

    [Fact]
    public async Task LongStep_KeepsItsLeaseByHeartbeat_AndIsNotTakenOver()
    {
        using var app = new RecordingApp(gated: true);
        await app.StartAsync();
        var run = app.StartRecording();
        await app.Workflow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var owner = app.Run(run.Id).LeaseOwner;
        Assert.NotNull(owner);

        // 40 s in one step with a 30 s lease: renewed every 10 s, so it never runs out.
        for (var i = 0; i < 4; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(10));
            var renewedUntil = app.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1); // LiteDB keeps milliseconds
            await Eventually.TrueAsync(() => app.Run(run.Id).LeaseUntil >= renewedUntil, () => $"lease renewed until {renewedUntil:O} (is {app.Run(run.Id).LeaseUntil:O})");
        }

        Assert.Equal(0, await app.Service<RunSweeper>().SweepAsync());
        Assert.Equal((RunStatus.Running, owner), (app.Run(run.Id).Status, app.Run(run.Id).LeaseOwner));

        app.Workflow.Gate.SetResult();
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        Assert.Equal([run.Id + ":first", run.Id + ":second"], app.Workflow.Executions);
    }

    [Fact]
    public async Task ExecutionWhoseRunWasTakenOver_StopsWithoutOverwritingTheNewHolder()
    {
        using var app = new RecordingApp(gated: true);
        await app.StartAsync();
        var run = app.StartRecording();
        await app.Workflow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var store = app.Service<IRunEngineStore>();

        // This process stalled past its lease, and a worker of node-b took the run over.
        store.ReleaseLease(run.Id, app.Run(run.Id).LeaseOwner!);
        Assert.NotNull(store.TryLease(run.Id, OtherNodeOwner, app.Clock.GetUtcNow().UtcDateTime, TimeSpan.FromSeconds(30)));

        // The next renewal finds the lease gone and cancels the step.
        app.Clock.Advance(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => app.Workflow.Cancelled.Contains(run.Id), "the held step cancelled");

        var after = app.Run(run.Id);
        Assert.Equal((RunStatus.Running, OtherNodeOwner), (after.Status, after.LeaseOwner));
        Assert.Equal(StepStatus.Running, store.GetStep(run.Id, "first")!.Status);
        Assert.DoesNotContain(run.Id + ":second", app.Workflow.Executions);
    }

    /// <summary>A Procurement Approval run that went through: deal updated and note created once.</summary>
    private static async Task<(Run Run, int Patches, int Notes)> WrittenBackAsync(ProcurementApp app)
    {
        await app.SetDealAsync("9003", new() { ["amount"] = "1000", ["discount_percentage"] = "5" });
        var run = app.StartRun(9003);
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        Assert.Equal(1, app.NoteCreates());
        return (run, app.DealPatches("9003"), app.NoteCreates());
    }

    /// <summary>The state a worker leaves when it dies inside <paramref name="stepName"/>: Running, step started, its lease.</summary>
    private static void LeaveRunningAt(ProcurementApp app, string runId, string stepName, string owner, TimeSpan leaseLeft)
    {
        var store = app.Service<IRunEngineStore>();
        var run = app.Run(runId);
        var step = store.GetStep(runId, stepName)!;
        step.Status = StepStatus.Running;
        run.Status = RunStatus.Running;
        run.CurrentStep = step.Index;
        run.CompletedAt = null;
        run.LeaseOwner = owner;
        run.LeaseUntil = app.Clock.GetUtcNow().UtcDateTime + leaseLeft;
        store.Checkpoint(run, step);
        foreach (var later in store.GetSteps(runId).Where(s => s.Index > step.Index))
        {
            later.Status = StepStatus.Pending;
            store.SaveStep(later);
        }
    }
}
