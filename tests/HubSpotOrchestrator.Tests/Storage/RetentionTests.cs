using System.Net;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.Storage;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Tests.Storage;

[Collection(AppCollection.Name)]
public sealed class RetentionTests
{
    [Fact]
    public async Task OldFinishedWork_IsRemoved_OpenWorkApprovalsAndAuditStay_AndTheFileIsRebuiltIntact()
    {
        using var app = new ProcurementApp();
        app.Settings["Retention:CompactAfter"] = "1";
        await app.StartAsync();

        using var request = app.SignedRequest("/webhooks/hubspot", Fixtures.HubSpot("deal-closedwon"));
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var inbox = app.Service<IInboxStore>();
        await Eventually.TrueAsync(() => inbox.Find("62515:101")?.Status is InboxStatus.Routed, "event routed");

        await app.SetDealAsync("9002", new() { ["amount"] = "1000", ["discount_percentage"] = "5" });
        var finished = app.StartRun(9002);
        await app.WaitForAsync(finished.Id, RunStatus.Succeeded);
        var waiting = await app.PendingApprovalAsync(9003);
        var approvalId = ApprovalService.IdForRun(waiting.Id);
        var prompts = app.Service<IPromptStore>();
        await Eventually.TrueAsync(() => prompts.ForApproval(approvalId).Count > 0, "approval prompt stored");
        var engine = app.Service<IRunEngineStore>();
        Assert.NotEmpty(engine.GetSteps(finished.Id));
        var auditBefore = app.Service<IAuditLog>().Verify().Entries;

        // A request stored but not routed yet (its routing job lost, say) must survive any retention window.
        var now = app.Clock.GetUtcNow().UtcDateTime;
        inbox.AcceptBatch([new InboxEvent { Id = "62515:777001", PortalId = 62515, EventId = "777001", BatchId = "batch-unrouted", SubscriptionType = "deal.creation", ReceivedAt = now, OccurredAt = now }], []);

        // Nothing is old yet.
        Assert.Equal(0, (await app.Service<LiteRetention>().PurgeAsync()).Total);

        app.Clock.Advance(TimeSpan.FromDays(91));
        var removed = await app.Service<LiteRetention>().PurgeAsync();

        Assert.True(removed.Events >= 1 && removed.Runs >= 1 && removed.Steps >= 1, removed.ToString());
        Assert.Null(inbox.Find("62515:101"));
        Assert.NotNull(inbox.Find("62515:777001"));
        Assert.Null(app.Service<IRunStore>().Get(finished.Id));
        Assert.Empty(engine.GetSteps(finished.Id));
        Assert.Equal(RunStatus.Waiting, app.Run(waiting.Id).Status);
        Assert.NotNull(app.Service<IApprovalStore>().Get(approvalId));
        Assert.NotEmpty(prompts.ForApproval(approvalId));
        var audit = app.Service<IAuditLog>().Verify();
        Assert.True(audit.Intact);
        Assert.True(audit.Entries >= auditBefore);

        var db = app.Service<LiteDbContext>();
        var check = db.Read(() => LiteStoreCheck.Run(db.Database));
        Assert.True(check.Healthy, string.Join("; ", check.Problems));

        // The store goes on after the rebuild: writes land and the audit chain still links.
        app.Service<IAuditLog>().Append("tester", "retention.checked", "store", "ok", app.Clock.GetUtcNow().UtcDateTime);
        Assert.True(app.Service<IAuditLog>().Verify().Intact);
    }
}
