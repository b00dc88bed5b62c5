using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Workflows.Engine;
using HubSpotOrchestrator.Workflows.Procurement;

namespace HubSpotOrchestrator.Tests.Workflows.Procurement;

[Collection(AppCollection.Name)]
public sealed class ProcurementApprovalTests
{
    [Fact]
    public async Task SmallDeal_IsAutoApprovedRecordedAndWrittenBack()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "12000", ["discount_percentage"] = "5" });

        var run = app.StartRun(9003);

        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        var approval = app.ApprovalFor(run.Id)!;
        Assert.Equal(ApprovalStatus.AutoApproved, approval.Status);
        Assert.Empty(approval.Policy.FiredRules);
        Assert.Equal("12000", approval.Policy.Input["Amount"]);
        var deal = app.HubSpot.Object("deals", "9003")["properties"]!;
        Assert.Equal("auto-approved", deal["approval_status"]!.GetValue<string>());
        Assert.Equal(1, app.NoteCreates());
        Assert.Contains(app.Service<IAuditLog>().Query("approval:" + approval.Id, 10), e => e.Action == "approval.auto-approved");
    }

    [Fact]
    public async Task OneStage_ApprovedBySalesVp_WritesApprovalAndTellsTheRequester()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "40000", ["discount_percentage"] = "25" });
        var run = app.StartRun(9003);
        await app.WaitForApprovalAsync(run.Id);

        var approval = app.ApprovalFor(run.Id)!;
        Assert.Equal(["DiscountAboveTwentyPercent"], approval.Policy.FiredRules);
        Assert.Equal(["priya.raman", "james.okafor"], approval.Stages[0].Approvers.Order().Reverse());
        Assert.Equal("marco.bianchi", approval.OwnerId);

        var outcome = app.Decide(run.Id, "priya.raman", comment: "fine for a renewal");
        Assert.True(outcome.Recorded, outcome.Message);

        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        var deal = app.HubSpot.Object("deals", "9003")["properties"]!;
        Assert.Equal("approved", deal["approval_status"]!.GetValue<string>());
        Assert.Equal("Priya Raman", deal["approved_by"]!.GetValue<string>());
        var prompts = app.Service<IPromptStore>().ForRecipient("marco.bianchi", 20);
        Assert.Contains(prompts, p => p.Kind == PromptKind.RequesterNotice && p.ApprovalId == approval.Id);
        Assert.Contains(app.Service<IPromptStore>().ForRecipient("priya.raman", 20), p => p.Kind == PromptKind.ApprovalRequest);
    }

    [Fact]
    public async Task TwoSequentialStages_NeedSalesVpThenFinance()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        var run = app.StartRun(9002);
        await app.WaitForApprovalAsync(run.Id);
        var approval = app.ApprovalFor(run.Id)!;
        Assert.Equal(["DiscountAboveTwentyPercent", "LargeDeal"], approval.Stages.Select(s => s.Rule));

        var early = app.Decide(run.Id, "aisha.khan");
        Assert.Equal(DecisionOutcomeKind.NotAllowed, early.Kind);

        Assert.True(app.Decide(run.Id, "james.okafor").Recorded);
        Assert.Equal(RunStatus.Waiting, app.Run(run.Id).Status);
        Assert.Equal(1, app.ApprovalFor(run.Id)!.CurrentStage);
        Assert.Equal(StageStatus.Open, app.ApprovalFor(run.Id)!.Stages[1].Status);

        Assert.True(app.Decide(run.Id, "aisha.khan").Recorded);
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        Assert.Equal("James Okafor, Aisha Khan", app.HubSpot.Object("deals", "9002")["properties"]!["approved_by"]!.GetValue<string>());
    }

    [Fact]
    public async Task AllOfStage_WaitsForEveryApprover()
    {
        using var app = new ProcurementApp();
        File.WriteAllText(Path.Combine(app.RulesDir, "procurement-policy.json"), """
            { "WorkflowName": "ProcurementPolicy", "Rules": [
              { "RuleName": "BoardOfFinance", "Expression": "deal.Amount >= 1000", "Properties": { "order": 1, "roles": ["finance"], "mode": "all", "due": "72h", "onExpiry": "reject" } } ] }
            """);
        await app.StartAsync();
        var run = app.StartRun(9002);
        await app.WaitForApprovalAsync(run.Id);

        Assert.True(app.Decide(run.Id, "aisha.khan").Recorded);
        Assert.Equal(DecisionOutcomeKind.AlreadyDecided, app.Decide(run.Id, "aisha.khan").Kind);
        Assert.Equal(ApprovalStatus.Pending, app.ApprovalFor(run.Id)!.Status);
        Assert.True(app.Decide(run.Id, "tom.becker").Recorded);
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        Assert.Equal(ApprovalStatus.Approved, app.ApprovalFor(run.Id)!.Status);
    }

    [Fact]
    public async Task Rejection_EndsTheApprovalAndWritesRejected()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        var run = app.StartRun(9002);
        await app.WaitForApprovalAsync(run.Id);

        Assert.True(app.Decide(run.Id, "priya.raman", "reject", "discount too deep").Recorded);

        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        var approval = app.ApprovalFor(run.Id)!;
        Assert.Equal(ApprovalStatus.Rejected, approval.Status);
        Assert.Contains("discount too deep", approval.Outcome, StringComparison.Ordinal);
        Assert.Equal(StageStatus.Waiting, approval.Stages[1].Status);
        Assert.Equal("rejected", app.HubSpot.Object("deals", "9002")["properties"]!["approval_status"]!.GetValue<string>());
        Assert.Equal(DecisionOutcomeKind.AlreadyDecided, app.Decide(run.Id, "james.okafor").Kind);
    }

    [Fact]
    public async Task ExpiredStage_EscalatesThenAutoRejects()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        var run = app.StartRun(9002);
        await app.WaitForApprovalAsync(run.Id);
        var timers = app.Service<ApprovalTimers>();
        var id = ApprovalService.IdForRun(run.Id);

        await timers.ExpireAsync(id, 0, escalatedPhase: false);
        Assert.Null(app.ApprovalFor(run.Id)!.Stages[0].DecidedAt);
        Assert.False(app.ApprovalFor(run.Id)!.Stages[0].Escalated);

        app.Clock.Advance(TimeSpan.FromHours(49));
        await timers.ExpireAsync(id, 0, escalatedPhase: false);
        var escalated = app.ApprovalFor(run.Id)!;
        Assert.True(escalated.Stages[0].Escalated);
        Assert.Equal(["helen.ward"], escalated.Stages[0].Approvers);
        Assert.Contains(app.Service<IPromptStore>().ForRecipient("helen.ward", 10), p => p.Kind == PromptKind.Escalated);
        Assert.Equal(DecisionOutcomeKind.NotAllowed, app.Decide(run.Id, "priya.raman").Kind);

        app.Clock.Advance(TimeSpan.FromHours(49));
        await timers.ExpireAsync(id, 0, escalatedPhase: true);

        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        var expired = app.ApprovalFor(run.Id)!;
        Assert.Equal(ApprovalStatus.Expired, expired.Status);
        Assert.Contains("after escalation", expired.Outcome, StringComparison.Ordinal);
        Assert.Equal("expired", app.HubSpot.Object("deals", "9002")["properties"]!["approval_status"]!.GetValue<string>());
        Assert.Equal(DecisionOutcomeKind.Closed, app.Decide(run.Id, "helen.ward").Kind);
    }

    [Fact]
    public async Task Reminders_AreSentAsOftenAsThePolicySaysAndNoMore()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        var run = app.StartRun(9002);
        await app.WaitForApprovalAsync(run.Id);
        var id = ApprovalService.IdForRun(run.Id);
        Assert.True(app.Decide(run.Id, "priya.raman").Recorded);

        // Stage 2 (finance): "reminders": 2 every 24h within 72h.
        var timers = app.Service<ApprovalTimers>();
        for (var i = 0; i < 3; i++)
        {
            await timers.RemindAsync(id, 1, 1);
            await timers.RemindAsync(id, 1, 2);
        }

        Assert.Equal(2, app.ApprovalFor(run.Id)!.Stages[1].RemindersSent);
        Assert.Equal(2, app.Service<IAuditLog>().Query("approval:" + id, 100).Count(e => e.Action == "approval.reminded"));
        Assert.Equal(2, app.Service<IPromptStore>().ForRecipient("aisha.khan", 20).Count(p => p.Kind == PromptKind.Reminder));
        var scheduled = app.Service<Hangfire.JobStorage>().GetMonitoringApi().ScheduledJobs(0, 500)
            .Count(j => j.Value.Job.Method.Name == nameof(ApprovalTimers.RemindAsync) && (string)j.Value.Job.Args[0] == id && (int)j.Value.Job.Args[1] == 1);
        Assert.Equal(2, scheduled);

        Assert.True(app.Decide(run.Id, "tom.becker").Recorded);
        await timers.RemindAsync(id, 1, 3);
        Assert.Equal(2, app.ApprovalFor(run.Id)!.Stages[1].RemindersSent);
    }

    [Fact]
    public async Task TenParallelDecisions_OnlyOneWins()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "40000", ["discount_percentage"] = "25" });
        var run = app.StartRun(9003);
        await app.WaitForApprovalAsync(run.Id);
        string[] people = ["priya.raman", "james.okafor"];

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => app.Decide(run.Id, people[i % 2], i % 3 == 0 ? "reject" : "approve"))));

        var winner = Assert.Single(outcomes, o => o.Recorded);
        Assert.All(outcomes.Where(o => !o.Recorded), o => Assert.Equal(DecisionOutcomeKind.AlreadyDecided, o.Kind));
        Assert.Single(app.ApprovalFor(run.Id)!.Decisions, d => d.Stage == 0);
        Assert.Contains(winner.Decision!.By, people);
    }

    [Fact]
    public async Task DealOwnerAndRequester_CannotApprove()
    {
        using var app = new ProcurementApp();
        var original = File.ReadAllText(app.DirectoryFile);
        var text = original.Replace("\"roles\": [\"sales-rep\"],\n      \"teamsAadObjectId\": \"3f6c2a51", "\"roles\": [\"sales-rep\", \"sales-vp\"],\n      \"teamsAadObjectId\": \"3f6c2a51", StringComparison.Ordinal);
        Assert.NotEqual(original, text);
        File.WriteAllText(app.DirectoryFile, text);
        await app.StartAsync();
        var run = app.StartRun(9003, triggeredBy: "userId:78");
        await app.WaitForApprovalAsync(run.Id);
        Assert.DoesNotContain("marco.bianchi", app.ApprovalFor(run.Id)!.Stages[0].Approvers);

        var owner = app.Decide(run.Id, "marco.bianchi");
        Assert.Equal(DecisionOutcomeKind.NotAllowed, owner.Kind);
        Assert.Contains("owns the deal", owner.Message, StringComparison.Ordinal);
        Assert.Contains(app.Service<IAuditLog>().Query("approval:" + ApprovalService.IdForRun(run.Id), 20), e => e.Action == "approval.approve.refused" && e.Actor == "marco.bianchi");
    }

    [Fact]
    public async Task RoleRemovedBeforeTheClick_IsRefused()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        var run = app.StartRun(9003);
        await app.WaitForApprovalAsync(run.Id);
        Assert.Contains("priya.raman", app.ApprovalFor(run.Id)!.Stages[0].Approvers);

        var directory = app.Service<HubSpotOrchestrator.People.IPeopleDirectory>();
        var before = directory.Version;
        var original = File.ReadAllText(app.DirectoryFile);
        var changed = original.Replace("\"roles\": [\"sales-vp\"],\n      \"teamsAadObjectId\": \"00000000", "\"roles\": [\"sales-rep\"],\n      \"teamsAadObjectId\": \"00000000", StringComparison.Ordinal);
        Assert.NotEqual(original, changed);
        File.WriteAllText(app.DirectoryFile, changed);
        await Eventually.TrueAsync(() =>
        {
            app.Clock.Advance(TimeSpan.FromMilliseconds(200)); // the reload debounce runs on the service's (fake) clock
            return directory.Version != before;
        }, "directory reloaded");

        var outcome = app.Decide(run.Id, "priya.raman");
        Assert.Equal(DecisionOutcomeKind.NotAllowed, outcome.Kind);
        Assert.True(app.Decide(run.Id, "james.okafor").Recorded);
    }

    [Fact]
    public async Task Delegate_ActsForAnAbsentApprover_AndIsRecordedAsSuch()
    {
        using var app = new ProcurementApp(new DateTimeOffset(2026, 8, 10, 9, 0, 0, TimeSpan.Zero));
        await app.StartAsync();
        var run = app.StartRun(9003);
        await app.WaitForApprovalAsync(run.Id);

        var outcome = app.Decide(run.Id, "helen.ward");

        Assert.True(outcome.Recorded, outcome.Message);
        Assert.Equal(("helen.ward", "james.okafor"), (outcome.Decision!.By, outcome.Decision.OnBehalfOf));
        Assert.Contains(app.Service<IAuditLog>().Query("approval:" + ApprovalService.IdForRun(run.Id), 20), e => e.Action == "approval.approve" && e.OnBehalfOf == "james.okafor");
    }

    [Fact]
    public async Task DelegateOfAPresentApprover_MayNotAct()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        var run = app.StartRun(9003);
        await app.WaitForApprovalAsync(run.Id);
        Assert.Equal(DecisionOutcomeKind.NotAllowed, app.Decide(run.Id, "helen.ward").Kind);
    }

    [Fact]
    public async Task AmountChangeDuringAPendingApproval_SupersedesIt()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        var first = app.StartRun(9002);
        await app.WaitForApprovalAsync(first.Id);

        await app.SetDealAsync("9002", new() { ["amount"] = "650000" });
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = app.StartRun(9002);
        await app.WaitForApprovalAsync(second.Id);

        Assert.Equal(RunStatus.Cancelled, app.Run(first.Id).Status);
        Assert.Equal(ApprovalStatus.Superseded, app.ApprovalFor(first.Id)!.Status);
        Assert.Equal(DecisionOutcomeKind.Closed, app.Decide(first.Id, "priya.raman").Kind);
        var fresh = app.ApprovalFor(second.Id)!;
        Assert.Equal("650000", fresh.Policy.Input["Amount"]);
        Assert.Equal(["DiscountAboveTwentyPercent", "LargeDeal", "VeryLargeDeal"], fresh.Stages.Select(s => s.Rule));
    }
}
