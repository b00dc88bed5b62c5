using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Routing;
using HubSpotOrchestrator.Testing;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Tests.Webhooks;

[Collection(AppCollection.Name)]
public sealed class WebhookEndpointTests(OrchestratorFactory app) : IClassFixture<OrchestratorFactory>
{
    private static long _offset = 1_000_000;

    private static long NextOffset() => Interlocked.Add(ref _offset, 1_000_000);

    [Fact]
    public async Task SignedClosedWonEvent_IsStoredRoutedAndBecomesOneDealKickoffRun()
    {
        var offset = NextOffset();
        var client = app.CreateClient();
        using var request = app.SignedRequest("/webhooks/hubspot", Fixtures.HubSpotWithIds("deal-closedwon", offset));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<WebhookAccepted>();
        Assert.Equal(1, body!.Accepted);

        var inbox = app.Service<IInboxStore>();
        var id = $"62515:{101 + offset}";
        await Eventually.TrueAsync(() => inbox.Find(id)?.Status == InboxStatus.Routed, "event routed");
        var e = inbox.Find(id)!;
        var run = Assert.Single(e.RunIds.Select(app.Service<IRunStore>().Get));
        Assert.Equal("DealKickoff", run!.Workflow);
        Assert.Equal(RunStatus.Pending, run.Status);
        Assert.Equal(("deal", 9001L), (run.SubjectType, run.SubjectId));
        Assert.Equal(e.CorrelationId, run.CorrelationId);
        Assert.Equal("DealClosedWon", Assert.Single(run.MatchedRules).RuleName);
        Assert.Equal("closedwon", run.RoutingInput["PropertyValue"]);
        Assert.StartsWith("sha256:", run.RuleSetVersion, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("wrong-secret")]
    [InlineData("old")]
    [InlineData("future")]
    [InlineData("no-headers")]
    public async Task UnverifiedRequest_Gets401AndStoresNothing(string how)
    {
        var offset = NextOffset();
        var body = Fixtures.HubSpotWithIds("deal-closedwon", offset);
        using var request = how switch
        {
            "wrong-secret" => app.SignedRequest("/webhooks/hubspot", body, secret: "not-the-secret"),
            "old" => app.SignedRequest("/webhooks/hubspot", body, DateTimeOffset.UtcNow.AddMinutes(-6)),
            "future" => app.SignedRequest("/webhooks/hubspot", body, DateTimeOffset.UtcNow.AddMinutes(6)),
            _ => app.SignedRequest("/webhooks/hubspot", body),
        };
        if (how == "tampered")
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("closedwon", "closedlost", StringComparison.Ordinal)));
            request.Content.Headers.ContentType = new("application/json");
        }
        else if (how == "no-headers")
        {
            request.Headers.Remove("X-HubSpot-Signature-v3");
            request.Headers.Remove("X-HubSpot-Request-Timestamp");
        }

        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(app.Service<IInboxStore>().Find($"62515:{101 + offset}"));
    }

    [Fact]
    public async Task BodyThatIsNotJson_Gets400()
    {
        using var request = app.SignedRequest("/webhooks/hubspot", "[{\"eventId\": 1,"u8.ToArray());
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("not valid JSON", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyThatIsNotAnArray_Gets400()
    {
        using var request = app.SignedRequest("/webhooks/hubspot", "{\"eventId\":1}"u8.ToArray());
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("JSON array", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyOverTheLimit_Gets413()
    {
        var big = Encoding.UTF8.GetBytes("[" + new string(' ', 1024 * 1024) + "]");
        using var request = app.SignedRequest("/webhooks/hubspot", big);
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task WrongContentType_Gets415()
    {
        using var request = app.SignedRequest("/webhooks/hubspot", Fixtures.HubSpot("deal-closedwon"), contentType: "text/plain");
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task BadEventInsideAGoodBatch_IsQuarantinedAndTheRestAccepted()
    {
        var offset = NextOffset();
        var events = JsonNode.Parse(Fixtures.HubSpotWithIds("deal-closedwon", offset))!.AsArray();
        events.Add(new JsonObject { ["eventId"] = 202 + offset, ["portalId"] = 62515, ["subscriptionType"] = "deal.propertyChange", ["occurredAt"] = 1 });
        events.Add(JsonValue.Create("not an event"));
        using var request = app.SignedRequest("/webhooks/hubspot", Encoding.UTF8.GetBytes(events.ToJsonString()));
        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<WebhookAccepted>();
        Assert.Equal((1, 2), (body!.Accepted, body.Quarantined));
        var quarantined = app.Service<IInboxStore>().FindQuarantined((202 + offset).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("objectId", Assert.Single(quarantined).Reason, StringComparison.Ordinal);
        Assert.NotNull(app.Service<IInboxStore>().Find($"62515:{101 + offset}"));
    }

    [Fact]
    public async Task SameBatchPostedTwentyTimesInParallel_StoresEachEventOnceAndOneRunPerWorkflow()
    {
        var offset = NextOffset();
        var body = Fixtures.HubSpotWithIds("mixed-batch-100", offset);
        var client = app.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.SendAsync(app.SignedRequest("/webhooks/hubspot", body))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var accepted = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<WebhookAccepted>()));
        Assert.Equal(100, accepted.Sum(a => a!.Accepted));
        Assert.Equal(19 * 100, accepted.Sum(a => a!.Duplicates));

        var inbox = app.Service<IInboxStore>();
        var ids = JsonNode.Parse(body)!.AsArray().Select(e => $"62515:{e!["eventId"]}").ToList();
        await Eventually.TrueAsync(() => ids.All(id => inbox.Find(id)?.Status is InboxStatus.Routed or InboxStatus.Ignored), "all 100 events routed");
        var events = ids.Select(id => inbox.Find(id)!).ToList();
        Assert.All(events, e => Assert.Equal(19, e.DuplicateCount));
        var runIds = events.SelectMany(e => e.RunIds).ToList();
        Assert.Equal(runIds.Count, runIds.Distinct().Count());
        var runs = app.Service<IRunStore>();
        foreach (var e in events.Where(e => e.Status == InboxStatus.Routed))
        {
            var workflows = e.RunIds.Select(id => runs.Get(id)!.Workflow).ToList();
            Assert.Equal(workflows.Count, workflows.Distinct().Count());
            Assert.All(e.RunIds, id => Assert.Equal(e.Id, runs.Get(id)!.EventKey));
        }

        Assert.True(runIds.Count > 0);
    }

    [Fact]
    public async Task BatchMixingKnownAndNewEvents_StoresOnlyTheNewOnesAndCountsTheKnownOnce()
    {
        var offset = NextOffset();
        var client = app.CreateClient();
        var events = new JsonArray(Event(offset + 1), Event(offset + 2));
        using var firstRequest = app.SignedRequest("/webhooks/hubspot", Encoding.UTF8.GetBytes(events.ToJsonString()));
        using var first = await client.SendAsync(firstRequest);
        var again = new JsonArray(Event(offset + 3), Event(offset + 2), Event(offset + 4));
        using var secondRequest = app.SignedRequest("/webhooks/hubspot", Encoding.UTF8.GetBytes(again.ToJsonString()));
        using var second = await client.SendAsync(secondRequest);

        var body = await second.Content.ReadFromJsonAsync<WebhookAccepted>();
        Assert.Equal((2, 1), (body!.Accepted, body.Duplicates));
        Assert.Equal(["accepted", "duplicate", "accepted"], body.Events.Select(e => e.Status));
        var inbox = app.Service<IInboxStore>();
        Assert.Equal(1, inbox.Find($"62515:{offset + 2}")!.DuplicateCount);
        Assert.Equal(0, inbox.Find($"62515:{offset + 3}")!.DuplicateCount);
        Assert.Single(inbox.FindByEventId((offset + 4).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.NotEqual(inbox.Find($"62515:{offset + 2}")!.BatchId, inbox.Find($"62515:{offset + 4}")!.BatchId);
        Assert.Equal(inbox.Find($"62515:{offset + 3}")!.BatchId, inbox.Find($"62515:{offset + 4}")!.BatchId);

        static JsonObject Event(long id) => new()
        {
            ["eventId"] = id, ["portalId"] = 62515, ["appId"] = 1160452, ["subscriptionType"] = "company.merge", ["objectId"] = 555,
            ["occurredAt"] = 1764086500000, ["changeSource"] = "CRM_UI", ["sourceId"] = "userId:77",
        };
    }

    [Fact]
    public async Task WorkflowActionRecord_LandsInTheSameInboxAndRoutesByAction()
    {
        var body = File.ReadAllBytes(TestPaths.Fixture("hubspot/crm-deal-9002.json"));
        using var request = app.SignedRequest("/webhooks/hubspot/workflow?objectType=deal&action=procurement-approval&portalId=62515", body);
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<WebhookAccepted>();
        var outcome = Assert.Single(accepted!.Events);
        var inbox = app.Service<IInboxStore>();
        var id = $"62515:{outcome.EventId}";
        await Eventually.TrueAsync(() => inbox.Find(id)?.Status == InboxStatus.Routed, "workflow action routed");
        var run = app.Service<IRunStore>().Get(Assert.Single(inbox.Find(id)!.RunIds))!;
        Assert.Equal(("ProcurementApproval", "deal", 9002L), (run.Workflow, run.SubjectType, run.SubjectId));
    }

    [Fact]
    public async Task OwnWriteEvent_IsIgnoredWithTheReason()
    {
        var offset = NextOffset();
        using var request = app.SignedRequest("/webhooks/hubspot", Fixtures.HubSpotWithIds("company-name-unicode", offset));
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var inbox = app.Service<IInboxStore>();
        var id = $"62515:{105 + offset}";
        await Eventually.TrueAsync(() => inbox.Find(id)?.Status == InboxStatus.Ignored, "own write ignored");
        Assert.Contains("own write", inbox.Find(id)!.IgnoredReason, StringComparison.Ordinal);
        Assert.Empty(inbox.Find(id)!.RunIds);
    }

    [Fact]
    public async Task EventThatMatchesNoRule_IsIgnoredWithTheReason()
    {
        var offset = NextOffset();
        using var request = app.SignedRequest("/webhooks/hubspot", Fixtures.HubSpotWithIds("company-merge", offset));
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var inbox = app.Service<IInboxStore>();
        var id = $"62515:{109 + offset}";
        await Eventually.TrueAsync(() => inbox.Find(id)?.Status == InboxStatus.Ignored, "unmatched event ignored");
        Assert.Contains("no routing rule matched company.merge", inbox.Find(id)!.IgnoredReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AmountChangeOnAClosedDeal_DoesNotStartAnApproval()
    {
        var offset = NextOffset();
        var events = new JsonArray(
            Event(offset + 1, 7001, "dealstage", "closedlost", 1764086500000),
            Event(offset + 2, 7001, "amount", "5000", 1764086501000),
            Event(offset + 3, 7002, "amount", "5000", 1764086501000));
        using var request = app.SignedRequest("/webhooks/hubspot", Encoding.UTF8.GetBytes(events.ToJsonString()));
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var inbox = app.Service<IInboxStore>();
        await Eventually.TrueAsync(() => inbox.Find($"62515:{offset + 3}")?.Status is InboxStatus.Routed or InboxStatus.Ignored && inbox.Find($"62515:{offset + 2}")?.Status is InboxStatus.Routed or InboxStatus.Ignored, "routed");
        Assert.Equal(InboxStatus.Ignored, inbox.Find($"62515:{offset + 2}")!.Status);
        Assert.Equal(InboxStatus.Routed, inbox.Find($"62515:{offset + 3}")!.Status);

        static JsonObject Event(long id, long deal, string property, string value, long at) => new()
        {
            ["eventId"] = id, ["portalId"] = 62515, ["appId"] = 1160452, ["subscriptionType"] = "deal.propertyChange", ["objectId"] = deal,
            ["occurredAt"] = at, ["propertyName"] = property, ["propertyValue"] = value, ["changeSource"] = "CRM_UI", ["sourceId"] = "userId:77",
        };
    }
}
