using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Storage;
using HubSpotOrchestrator.Testing;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Tests.Workflows.Engine;

[Collection(AppCollection.Name)]
public sealed class RunEngineTests
{
    [Fact]
    public async Task WebhookOnALaptopWithoutHubSpot_EndsInAClearNotConfiguredException()
    {
        using var app = new OrchestratorFactory();
        using var request = app.SignedRequest("/webhooks/hubspot", Fixtures.HubSpot("deal-contractsent-large"));
        using var response = await app.CreateClient().SendAsync(request);
        response.EnsureSuccessStatusCode();
        var inbox = app.Service<IInboxStore>();
        await Eventually.TrueAsync(() => inbox.Find("62515:102")?.RunIds.Count == 1, "routed");
        var runId = inbox.Find("62515:102")!.RunIds[0];
        var runs = app.Service<IRunStore>();
        await Eventually.TrueAsync(() => runs.Get(runId)!.Status == RunStatus.Failed, () => $"run failed (is {runs.Get(runId)!.Status})");

        var exception = Assert.Single(app.Service<IRunEngineStore>().Exceptions(ExceptionStatus.Open, runId, 10));
        Assert.Equal(("Configuration", "load-deal"), (exception.Kind, exception.Step));
        Assert.Contains("HubSpot is not configured", exception.Error, StringComparison.Ordinal);
        Assert.Contains("HubSpot:AccessToken", exception.SuggestedFix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingAmount_RaisesADataQualityException_AndSupplyingItContinuesTheRun()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "", ["discount_percentage"] = "0" });
        var run = app.StartRun(9003);
        await app.WaitForAsync(run.Id, RunStatus.Failed);
        var exception = Assert.Single(app.Service<IRunEngineStore>().Exceptions(ExceptionStatus.Open, run.Id, 10));
        Assert.Equal(("DataQuality", "evaluate-policy", "amount"), (exception.Kind, exception.Step, exception.MissingValue));
        Assert.Contains("supply", exception.Fixes);

        using var client = app.ApiClient(Roles.Ops);
        using var response = await client.PostAsJsonAsync($"/api/exceptions/{exception.Id}/supply", new { name = "amount", value = "15000" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        Assert.Equal("15000", app.ApprovalFor(run.Id)!.Policy.Input["Amount"]);
        Assert.Equal(ExceptionStatus.Resolved, app.Service<IRunEngineStore>().GetException(exception.Id)!.Status);
        Assert.Contains(app.Service<IAuditLog>().Query("exception:" + exception.Id, 10), e => e.Action == "exception.supply" && e.Actor == "tester@example.com");
    }

    [Fact]
    public async Task ConfigurationFailure_IsAnException_AndRetryAfterTheFixSucceeds()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "1000", ["discount_percentage"] = "5" });
        app.HubSpot.AccessToken = "rotated-token";
        var run = app.StartRun(9003);
        await app.WaitForAsync(run.Id, RunStatus.Failed);
        var exception = Assert.Single(app.Service<IRunEngineStore>().Exceptions(ExceptionStatus.Open, run.Id, 10));
        Assert.Equal(("Configuration", "HubSpot"), (exception.Kind, exception.System));
        Assert.Contains("HubSpot:AccessToken", exception.SuggestedFix, StringComparison.Ordinal);
        Assert.Equal(1, app.Service<IRunEngineStore>().GetStep(run.Id, "load-deal")!.Attempts);

        app.HubSpot.AccessToken = "test-token";
        using var client = app.ApiClient(Roles.Ops);
        using var response = await client.PostAsync($"/api/exceptions/{exception.Id}/retry", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);

        using var again = await client.PostAsync($"/api/exceptions/{exception.Id}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task TransientFailures_AreRetriedWithBackoffThenBecomeAnException()
    {
        using var app = new ProcurementApp();
        app.Settings["HubSpot:MaxRetries"] = "0";
        await app.StartAsync();
        for (var i = 0; i < 2; i++)
        {
            app.HubSpot.Enqueue(new CannedResponse("GET", "/crm/v3/objects/deals/9003", 503, """{"status":"error","message":"unavailable"}"""));
        }

        var run = app.StartRun(9003);
        await app.WaitForAsync(run.Id, RunStatus.Failed);
        var step = app.Service<IRunEngineStore>().GetStep(run.Id, "load-deal")!;
        Assert.Equal(2, step.Attempts);
        var exception = Assert.Single(app.Service<IRunEngineStore>().Exceptions(ExceptionStatus.Open, run.Id, 10));
        Assert.Equal("RetriesExhausted", exception.Kind);
    }

    [Fact]
    public async Task SkippingAFailedStep_NeedsAReasonAndLetsTheRunFinish()
    {
        using var app = new ProcurementApp();
        app.Settings["Procurement:StatusProperty"] = "no_such_property";
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "1000", ["discount_percentage"] = "5" });
        var run = app.StartRun(9003);
        await app.WaitForAsync(run.Id, RunStatus.Failed);
        var exception = Assert.Single(app.Service<IRunEngineStore>().Exceptions(ExceptionStatus.Open, run.Id, 10));
        Assert.Equal(("write-back", "Permanent"), (exception.Step, exception.Kind));

        using var client = app.ApiClient(Roles.Ops);
        using var noReason = await client.PostAsJsonAsync($"/api/exceptions/{exception.Id}/skip", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using var response = await client.PostAsJsonAsync($"/api/exceptions/{exception.Id}/skip", new { reason = "property created by hand in HubSpot" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        var skipped = app.Service<IRunEngineStore>().GetStep(run.Id, "write-back")!;
        Assert.Equal((StepStatus.Skipped, "property created by hand in HubSpot"), (skipped.Status, skipped.SkipReason));
    }

    [Fact]
    public async Task CancellingFromAnException_CancelsTheRun()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "not a number" });
        var run = app.StartRun(9003);
        await app.WaitForAsync(run.Id, RunStatus.Failed);
        var exception = Assert.Single(app.Service<IRunEngineStore>().Exceptions(ExceptionStatus.Open, run.Id, 10));

        using var viewer = app.ApiClient(Roles.Viewer);
        using var forbidden = await viewer.PostAsJsonAsync($"/api/exceptions/{exception.Id}/cancel", new { reason = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var client = app.ApiClient(Roles.Admin);
        using var response = await client.PostAsJsonAsync($"/api/exceptions/{exception.Id}/cancel", new { reason = "test deal" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RunStatus.Cancelled, app.Run(run.Id).Status);
    }

    [Fact]
    public async Task JobRerunAfterACrashBetweenEffectAndCheckpoint_MakesNoSecondHubSpotWrite()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "1000", ["discount_percentage"] = "5" });
        var run = app.StartRun(9003);
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        var patches = app.DealPatches("9003");
        var notes = app.NoteCreates();
        Assert.Equal(1, notes);

        // The state a crash leaves when write-back's effects happened but its checkpoint was never saved.
        var store = app.Service<IRunEngineStore>();
        var crashed = app.Run(run.Id);
        var step = store.GetStep(run.Id, "write-back")!;
        step.Status = StepStatus.Running;
        crashed.Status = RunStatus.Running;
        crashed.CurrentStep = step.Index;
        crashed.CompletedAt = null;
        store.Checkpoint(crashed, step);
        var notify = store.GetStep(run.Id, "notify-requester")!;
        notify.Status = StepStatus.Pending;
        store.SaveStep(notify);

        await app.Service<RunExecutor>().ExecuteAsync(run.Id, CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, app.Run(run.Id).Status);
        Assert.Equal(2, store.GetStep(run.Id, "write-back")!.Attempts);
        Assert.Equal(patches, app.DealPatches("9003"));
        Assert.Equal(notes, app.NoteCreates());
    }

    [Fact]
    public async Task RunWhoseStartWasLostInACrash_IsStartedByTheRunSweeper()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "1000", ["discount_percentage"] = "5" });
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var run = new Run
        {
            Id = "run_lostinacrash0000001", Workflow = "ProcurementApproval", Status = RunStatus.Pending, SubjectType = "deal", SubjectId = 9003,
            PortalId = 62515, CorrelationId = "test-lost", EventKey = "test", RuleSetVersion = "test", OccurredAt = now, CreatedAt = now, UpdatedAt = now,
        };
        app.Service<IRunStore>().TryCreate(run);

        Assert.Equal(0, await app.Service<RunSweeper>().SweepAsync());
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(1, await app.Service<RunSweeper>().SweepAsync());

        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
    }

    [Fact]
    public async Task PausedWorkflow_HoldsNewRunsUntilResumed()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "1000", ["discount_percentage"] = "5" });
        using var client = app.ApiClient(Roles.Ops);
        (await client.PostAsync("/api/workflows/ProcurementApproval/pause", null)).EnsureSuccessStatusCode();

        var run = app.StartRun(9003);
        await Eventually.TrueAsync(() => app.Run(run.Id).StatusReason?.Contains("paused", StringComparison.Ordinal) == true, "run held");
        Assert.Equal(RunStatus.Pending, app.Run(run.Id).Status);

        (await client.PostAsync("/api/workflows/ProcurementApproval/resume", null)).EnsureSuccessStatusCode();
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
    }

    [Fact]
    public async Task RunsForTheSameDeal_AreProcessedOneAtATimeInEventOrder()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "1000", ["discount_percentage"] = "5" });
        app.HubSpot.Enqueue(new CannedResponse("GET", "/crm/v3/objects/deals/9003", 401, """{"status":"error","message":"expired"}"""));
        var first = app.StartRun(9003);
        await app.WaitForAsync(first.Id, RunStatus.Failed);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = app.StartRun(9003);
        await Eventually.TrueAsync(() => app.Run(second.Id).StatusReason?.Contains("queued behind run " + first.Id, StringComparison.Ordinal) == true, "second queued");

        using var client = app.ApiClient(Roles.Ops);
        (await client.PostAsync($"/api/runs/{first.Id}/retry", null)).EnsureSuccessStatusCode();
        await app.WaitForAsync(first.Id, RunStatus.Succeeded);
        await app.WaitForAsync(second.Id, RunStatus.Succeeded);
        Assert.True(app.Run(second.Id).CompletedAt >= app.Run(first.Id).CompletedAt);
    }

    [Fact]
    public async Task ReplayedRun_StartsAgainAsANewLinkedRun()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "1000", ["discount_percentage"] = "5" });
        var run = app.StartRun(9003);
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);

        using var client = app.ApiClient(Roles.Ops);
        var result = await (await client.PostAsync($"/api/runs/{run.Id}/replay", null)).Content.ReadFromJsonAsync<JsonObject>();
        var replay = result!["runId"]!.GetValue<string>();
        Assert.NotEqual(run.Id, replay);
        await app.WaitForAsync(replay, RunStatus.Succeeded);
        Assert.Equal(run.Id, app.Run(replay).ReplayOf);
    }

    [Fact]
    public async Task DecisionThroughTheApi_IsAuthorizedAndOneTime()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "40000", ["discount_percentage"] = "25" });
        var run = app.StartRun(9003);
        await app.WaitForApprovalAsync(run.Id);
        var id = ApprovalService.IdForRun(run.Id);
        var issuer = app.Service<TokenIssuer>();
        HttpClient As(string user)
        {
            var c = app.CreateClient();
            c.DefaultRequestHeaders.Authorization = new("Bearer", issuer.Mint(user, [Roles.Approver], TimeSpan.FromMinutes(5)));
            return c;
        }

        var mine = await As("priya.raman").GetFromJsonAsync<JsonArray>("/api/approvals?mine=true");
        Assert.Contains(mine!, a => a!["id"]!.GetValue<string>() == id);
        using var unauthorized = await As("aisha.khan").PostAsJsonAsync($"/api/approvals/{id}/decision", new { decision = "approve" });
        Assert.Equal(HttpStatusCode.Forbidden, unauthorized.StatusCode);
        using var approved = await As("priya.raman@example.com").PostAsJsonAsync($"/api/approvals/{id}/decision", new { decision = "approve", comment = "ok" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        using var again = await As("james.okafor").PostAsJsonAsync($"/api/approvals/{id}/decision", new { decision = "reject" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var problem = await again.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("Priya Raman", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditedAuditEntry_IsDetectedByVerify()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "1000", ["discount_percentage"] = "5" });
        var run = app.StartRun(9003);
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        using var client = app.ApiClient();
        var intact = await client.GetFromJsonAsync<AuditVerification>("/api/audit/verify");
        Assert.True(intact!.Intact);
        Assert.True(intact.Entries >= 2, "policy evaluation and auto-approval are audited before the run ends");

        var db = app.Service<LiteDbContext>();
        db.Write(() =>
        {
            var collection = db.Database.GetCollection("audit");
            var entry = collection.FindById(2);
            entry["Outcome"] = "something else";
            collection.Update(entry);
        });

        var broken = await client.GetFromJsonAsync<AuditVerification>("/api/audit/verify");
        Assert.False(broken!.Intact);
        Assert.Equal(2, broken.BrokenAt);
    }
}
