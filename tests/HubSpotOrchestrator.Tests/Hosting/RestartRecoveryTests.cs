using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Tests.Hosting;

/// <summary>
/// A service started again on the data of one that died hands on, while it starts, what that process had in flight:
/// it does not wait for Webhooks:StuckAfter, Workflows:RestartPendingAfter or the dead process's leases to run out.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RestartRecoveryTests
{
    [Fact]
    public async Task ServiceStartedAgain_HandsOnWhatThePreviousProcessLeftInFlight()
    {
        var dataDir = TestPaths.NewTempDir();
        try
        {
            string eventId;
            Run pending, running, waiting, foreign;
            using (var dead = new RecordingApp(dataDir: dataDir))
            {
                await dead.StartAsync();
                var now = dead.Clock.GetUtcNow().UtcDateTime;
                var runs = dead.Service<IRunStore>();
                var engine = dead.Service<IRunEngineStore>();

                // An acknowledged request the pump dispatched; its routing job died with the process.
                var inbox = dead.Service<IInboxStore>();
                var parsed = WebhookBatchParser.Parse(Fixtures.HubSpot("deal-contractsent-large"), "b-in-flight", now, out _)!;
                var written = inbox.AcceptBatch(parsed.Events, []);
                inbox.MarkDispatched([written.BatchId!], now);
                eventId = written.AcceptedIds[0];

                // A run routing created whose start was still in the in-process queue.
                pending = RecordingWorkflow.NewRun("run_restartpending000001", now, subjectId: 4201);
                runs.TryCreate(pending);

                // A run this process was executing: "first" checkpointed, "second" started, its lease good for 25 s more.
                running = RecordingWorkflow.NewRun("run_restartrunning000001", now, subjectId: 4202);
                running.Status = RunStatus.Running;
                running.CurrentStep = 1;
                running.LeaseOwner = dead.Service<RunLeases>().NewOwner();
                running.LeaseUntil = now.AddSeconds(25);
                runs.TryCreate(running);
                engine.SaveStep(Step(running, "first", 0, StepStatus.Succeeded));
                engine.SaveStep(Step(running, "second", 1, StepStatus.Running));

                // A run waiting for an approval that was decided just before the crash, its resume job lost.
                waiting = RecordingWorkflow.NewRun("run_restartwaiting000001", now, subjectId: 4203);
                waiting.Status = RunStatus.Waiting;
                waiting.CurrentStep = 1;
                waiting.WaitingFor = "approval:" + ApprovalService.IdForRun(waiting.Id);
                runs.TryCreate(waiting);
                engine.SaveStep(Step(waiting, "first", 0, StepStatus.Succeeded));
                engine.SaveStep(Step(waiting, "second", 1, StepStatus.Waiting));
                dead.Service<IApprovalStore>().GetOrCreate(new Approval
                {
                    Id = ApprovalService.IdForRun(waiting.Id), RunId = waiting.Id, Status = ApprovalStatus.Approved, CreatedAt = now, DecidedAt = now,
                });

                // A run another node is executing right now: its lease is live and not this node's.
                foreign = RecordingWorkflow.NewRun("run_restartforeign000001", now, subjectId: 4204);
                foreign.Status = RunStatus.Running;
                foreign.LeaseOwner = "node-b/0a1b2c3d/4e5f6a7b";
                foreign.LeaseUntil = now.AddMinutes(10);
                runs.TryCreate(foreign);
            }

            using var restarted = new RecordingApp(dataDir: dataDir);
            await restarted.StartAsync();

            var restartedInbox = restarted.Service<IInboxStore>();
            await Eventually.TrueAsync(() => restartedInbox.Find(eventId)?.Status == InboxStatus.Routed, "in-flight event routed");
            await restarted.WaitForAsync(pending.Id, RunStatus.Succeeded);
            await restarted.WaitForAsync(running.Id, RunStatus.Succeeded);
            await restarted.WaitForAsync(waiting.Id, RunStatus.Succeeded);

            // Checkpointed steps are not redone; the other node's run is left to it.
            var executions = restarted.Workflow.Executions;
            Assert.DoesNotContain(running.Id + ":first", executions);
            Assert.Contains(running.Id + ":second", executions);
            Assert.DoesNotContain(waiting.Id + ":first", executions);
            Assert.DoesNotContain(executions, e => e.StartsWith(foreign.Id, StringComparison.Ordinal));
            var untouched = restarted.Run(foreign.Id);
            Assert.Equal((RunStatus.Running, foreign.LeaseOwner), (untouched.Status, untouched.LeaseOwner));
            Assert.Equal(foreign.LeaseUntil!.Value, untouched.LeaseUntil!.Value, TimeSpan.FromMilliseconds(1)); // LiteDB keeps milliseconds
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // Hangfire's SQLite file can still be closing; the temp folder is cleaned by the OS later.
            }
        }
    }

    private static RunStep Step(Run run, string name, int index, StepStatus status) =>
        new() { Id = $"{run.Id}:{name}", RunId = run.Id, Name = name, Index = index, Status = status, Attempts = 1 };
}
