using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Webhooks;

namespace HubSpotOrchestrator.Tests.Webhooks;

/// <summary>
/// Workflow "Send a webhook" records the fuzzer found to answer 500: a portalId that is not a number, a lone surrogate,
/// invalid UTF-8. As for every verified request whose content is bad (HubSpot does not retry 4xx), the record is now
/// quarantined with the reason and the answer is 200; a body that is not JSON at all stays a 400.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WorkflowActionPoisonTests(OrchestratorFactory app) : IClassFixture<OrchestratorFactory>
{
    private const string Url = "/webhooks/hubspot/workflow?objectType=deal&action=procurement-approval";

    [Theory]
    [InlineData("{\"objectId\":9002,\"portalId\":\"abc\"}", "\"portalId\" must be an integer")]
    [InlineData("{\"objectId\":9002,\"portalId\":{\"id\":1}}", "\"portalId\" must be an integer")]
    [InlineData("{\"objectId\":9002,\"portalId\":\"\\ud800\"}", "\"portalId\" is not valid text")]
    [InlineData("{\"properties\":{\"hs_object_id\":\"\\ud800\"}}", "\"hs_object_id\" is not valid text")]
    [InlineData("{\"objectId\":9002,\"dealname\":\"caf\u00ff\"}", "\"dealname\" is not valid text")]
    public async Task RecordThatCannotBeRead_IsQuarantinedWithTheReason_And200(string record, string reason)
    {
        var marker = Guid.NewGuid().ToString("N");
        var body = PoisonInputTests.Latin1Escapes(record.Insert(1, $"\"marker\":\"{marker}\","));
        using var request = app.SignedRequest(Url, body);
        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<WebhookAccepted>();
        Assert.Equal((0, 1), (accepted!.Accepted, accepted.Quarantined));
        var quarantined = Assert.Single(app.Service<IInboxStore>().FindQuarantined(limit: 1000), q => q.Raw.Contains(marker, StringComparison.Ordinal));
        Assert.Contains(reason, quarantined.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObjectTypeWithALoneSurrogate_IsQuarantined()
    {
        using var request = app.SignedRequest("/webhooks/hubspot/workflow?action=procurement-approval", "{\"objectId\":9002,\"objectType\":\"\\ud800\"}"u8.ToArray());
        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<WebhookAccepted>())!.Quarantined);
    }

    [Fact]
    public async Task OverlongActionInTheUrl_IsQuarantinedNamingIt()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var request = app.SignedRequest("/webhooks/hubspot/workflow?objectType=deal&action=" + new string('a', 300), Encoding.UTF8.GetBytes($"{{\"marker\":\"{marker}\",\"objectId\":9002}}"));
        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var quarantined = Assert.Single(app.Service<IInboxStore>().FindQuarantined(limit: 1000), q => q.Raw.Contains(marker, StringComparison.Ordinal));
        Assert.Contains("\"action\" is longer than 256 characters", quarantined.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordNestedDeeperThan64Levels_Is400_AsABodyThatIsNotJson()
    {
        using var request = app.SignedRequest(Url, Encoding.UTF8.GetBytes("{\"objectId\":9002,\"x\":" + new string('[', 70) + new string(']', 70) + "}"));
        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("depth", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
