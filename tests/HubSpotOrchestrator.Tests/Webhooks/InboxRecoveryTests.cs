using System.Net;
using System.Net.Http.Json;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HubSpotOrchestrator.Tests.Webhooks;

[Collection(AppCollection.Name)]
public sealed class InboxRecoveryTests
{
    [Fact]
    public async Task DuplicateDeliveryAfterClosedWon_IsAcknowledgedAndMakesNoSecondRun()
    {
        using var app = new OrchestratorFactory();
        var client = app.CreateClient();
        using var firstRequest = app.SignedRequest("/webhooks/hubspot", Fixtures.HubSpot("deal-closedwon"));
        using var first = await client.SendAsync(firstRequest);
        var inbox = app.Service<IInboxStore>();
        await Eventually.TrueAsync(() => inbox.Find("62515:101")?.Status == InboxStatus.Routed, "first delivery routed");

        using var secondRequest = app.SignedRequest("/webhooks/hubspot", Fixtures.HubSpot("duplicate-delivery"));
        using var second = await client.SendAsync(secondRequest);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var body = await second.Content.ReadFromJsonAsync<WebhookAccepted>();
        Assert.Equal((0, 1), (body!.Accepted, body.Duplicates));
        Assert.Equal("duplicate", Assert.Single(body.Events).Status);

        // A sweep re-dispatching everything still makes no second run.
        await app.Service<InboxSweeper>().SweepAsync();
        var e = inbox.Find("62515:101")!;
        Assert.Equal(1, e.DuplicateCount);
        Assert.Single(e.RunIds);
        Assert.Equal(1, app.Service<IRunStore>().Query(new RunQuery(SubjectId: 9001)).Total);
    }

    [Fact]
    public async Task EventStoredButNeverDispatched_IsDispatchedByTheSweeper()
    {
        using var app = new OrchestratorFactory();
        _ = app.CreateClient();
        var inbox = app.Service<IInboxStore>();

        // The state a crash between the inbox write and the enqueue leaves behind.
        var parsed = WebhookBatchParser.Parse(Fixtures.HubSpot("deal-contractsent-large"), "b-crash", DateTime.UtcNow.AddMinutes(-5), out _)!;
        inbox.AcceptBatch(parsed.Events, []);
        Assert.Equal(InboxStatus.Received, inbox.Find("62515:102")!.Status);

        var swept = await app.Service<InboxSweeper>().SweepAsync();

        Assert.Equal(1, swept);
        await Eventually.TrueAsync(() => inbox.Find("62515:102")?.Status == InboxStatus.Routed, "swept event routed");
        var run = app.Service<IRunStore>().Get(Assert.Single(inbox.Find("62515:102")!.RunIds))!;
        Assert.Equal("ProcurementApproval", run.Workflow);
    }

    [Fact]
    public async Task EventDispatchedLongAgoButNeverRouted_IsDispatchedAgainByTheSweeper()
    {
        using var app = new OrchestratorFactory();
        _ = app.CreateClient();
        var inbox = app.Service<IInboxStore>();

        // The state a routing job lost after the pump dispatched the batch leaves behind.
        var parsed = WebhookBatchParser.Parse(Fixtures.HubSpot("deal-contractsent-large"), "b-lost", DateTime.UtcNow.AddMinutes(-20), out _)!;
        var written = inbox.AcceptBatch(parsed.Events, []);
        inbox.MarkDispatched([written.BatchId!], DateTime.UtcNow.AddMinutes(-15));
        var before = inbox.Find("62515:102")!;
        Assert.Equal((InboxStatus.Dispatched, 1), (before.Status, before.DispatchCount));

        var swept = await app.Service<InboxSweeper>().SweepAsync();

        Assert.Equal(1, swept);
        await Eventually.TrueAsync(() => inbox.Find("62515:102")?.Status == InboxStatus.Routed, "stuck event routed");
        Assert.Equal(2, inbox.Find("62515:102")!.DispatchCount);
        Assert.Equal(0, await app.Service<InboxSweeper>().SweepAsync());
    }

    [Fact]
    public async Task DispatchedButUnroutedBatches_AreDispatchedAgainAfterStuckAfter_WaitingTwiceAsLongEachTime()
    {
        using var app = new OrchestratorFactory();
        _ = app.CreateClient();
        var inbox = app.Service<IInboxStore>();
        var now = DateTime.UtcNow;

        // Batches the pump dispatched whose routing jobs never completed (none exists here): the state a lost job leaves.
        string Dispatched(string batchId, long idOffset, params int[] secondsAgo)
        {
            var parsed = WebhookBatchParser.Parse(Fixtures.HubSpotWithIds("deal-contractsent-large", idOffset), batchId, now.AddMinutes(-5), out _)!;
            var written = inbox.AcceptBatch(parsed.Events, []);
            foreach (var s in secondsAgo)
            {
                inbox.MarkDispatched([written.BatchId!], now.AddSeconds(-s));
            }

            return written.AcceptedIds[0];
        }

        var recent = Dispatched("b-recent", 1000, 10);           // within StuckAfter (30 s): its job may still be queued
        var stuck = Dispatched("b-stuck", 2000, 40);             // past StuckAfter
        var againWaiting = Dispatched("b-again", 3000, 100, 40); // re-dispatched once: now waits 60 s
        var againDue = Dispatched("b-again-due", 4000, 200, 70);

        var swept = await app.Service<InboxSweeper>().SweepAsync();

        Assert.Equal(2, swept);
        Assert.Equal([1, 2, 2, 3], new[] { recent, stuck, againWaiting, againDue }.Select(id => inbox.Find(id)!.DispatchCount));
        await Eventually.TrueAsync(() => inbox.Find(stuck)!.Status == InboxStatus.Routed && inbox.Find(againDue)!.Status == InboxStatus.Routed, "re-dispatched batches routed");
        Assert.Equal(InboxStatus.Dispatched, inbox.Find(recent)!.Status);
    }

    [Fact]
    public async Task LostRoutingJob_IsRedoneByThePeriodicSweep_WithinStuckAfterAndOneInterval()
    {
        using var app = new ProcurementApp();
        app.Settings["Webhooks:SweepInterval"] = "00:00:05";
        await app.StartAsync();
        var inbox = app.Service<IInboxStore>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var parsed = WebhookBatchParser.Parse(Fixtures.HubSpot("deal-contractsent-large"), "b-lost-job", now, out _)!;
        var written = inbox.AcceptBatch(parsed.Events, []);
        inbox.MarkDispatched([written.BatchId!], now);

        // StuckAfter (30 s) and the next tick of the 5 s sweep.
        app.Clock.Advance(TimeSpan.FromSeconds(35));

        await Eventually.TrueAsync(() => inbox.Find("62515:102")?.Status == InboxStatus.Routed, "lost routing job redone");
        Assert.Equal(2, inbox.Find("62515:102")!.DispatchCount);
    }

    [Fact]
    public async Task StoreUnavailable_Gets503WithRetryAfter()
    {
        using var app = new BrokenStoreFactory();
        using var request = app.SignedRequest("/webhooks/hubspot", Fixtures.HubSpot("deal-closedwon"));
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private sealed class BrokenStoreFactory : OrchestratorFactory
    {
        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.Replace(ServiceDescriptor.Singleton<IInboxStore, UnwritableInbox>());
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1812:Avoid uninstantiated internal classes", Justification = "Instantiated by the container: ServiceDescriptor.Singleton<IInboxStore, UnwritableInbox>().")]
    private sealed class UnwritableInbox : IInboxStore
    {
        public InboxWriteResult AcceptBatch(IReadOnlyList<InboxEvent> events, IReadOnlyList<QuarantinedEvent> quarantined) => throw new IOException("disk full");

        public InboxEvent? Find(string id) => null;

        public IReadOnlyList<InboxEvent> FindByEventId(string eventId) => [];

        public IReadOnlyList<QuarantinedEvent> FindQuarantined(string? eventId = null, int limit = 100) => [];

        public IReadOnlyList<InboxEvent> FindMany(IEnumerable<string> ids) => [];

        public IReadOnlyList<LeftBehindBatch> FindLeftBehind(DateTime receivedBefore, DateTime dispatchedBefore, int limit) => [];

        public void MarkDispatched(IReadOnlyCollection<string> batchIds, DateTime at)
        {
        }
    }
}
