using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.Channels.Teams;

namespace HubSpotOrchestrator.Tests.Channels.Teams;

/// <summary>
/// Authenticated activities the fuzzer found to answer 500 (an undecodable string read by the bot, an overlong id
/// written to the conversation-reference index), posted over HTTP with a valid Bot Framework token: now 400
/// "Invalid activity" (or, for an invoke, the invoke's own 400 error body, as the protocol wants HTTP 200).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TeamsPoisonInputTests
{
    [Fact]
    public async Task ActivitiesWithLoneSurrogatesInvalidUtf8OrOverlongIds_Are400()
    {
        await using var teams = await TeamsApp.StartAsync();
        var invoke = teams.Invoke("approve", new JsonObject { ["approvalId"] = "APPROVAL", ["token"] = "t" }).ToJsonString();
        var message = teams.Activity("message-status.json").ToJsonString();
        (string Name, byte[] Body, string Detail)[] cases =
        [
            ("lone surrogate in card data", Utf8(invoke.Replace("APPROVAL", "\\ud800", StringComparison.Ordinal)), "\"approvalId\" is not valid text"),
            ("lone surrogate in a property name", Utf8(message.Replace("\"text\":", "\"\\udfff\":1,\"text\":", StringComparison.Ordinal)), "a property name"),
            ("invalid UTF-8 in the text", Encoding.Latin1.GetBytes(message.Replace("\"text\":\"", "\"text\":\"caf\u00ff ", StringComparison.Ordinal)), "is not valid text"),
            ("20 KB conversation id", Utf8(Edit(message, a => a["conversation"]!["id"] = new string('c', 20_000))), "conversation.id"),
            ("aadObjectId over 256 bytes", Utf8(Edit(message, a => a["from"]!["aadObjectId"] = new string('\u20ac', 100))), "from.aadObjectId"),
        ];

        foreach (var (name, body, detail) in cases)
        {
            using var response = await PostRawAsync(teams, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {text}");
            Assert.Contains(detail, JsonNode.Parse(text)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Empty(teams.Bot.ConnectorCalls);
    }

    [Fact]
    public async Task CardActionWithAnOverlongApprovalId_IsRefusedAndAudited_NeverStored()
    {
        await using var teams = await TeamsApp.StartAsync();
        var run = await teams.StartApprovalRunAsync();
        var data = teams.CardData(run.Id);
        data["approvalId"] = new string('a', 1000);

        // The invoke: HTTP 200 (the protocol), the invoke's own status 400 with the reason.
        using (var response = await teams.PostAsync(teams.Invoke("approve", data)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(400, body["statusCode"]!.GetValue<int>());
            Assert.Contains("\"approvalId\" is longer than 256", body["value"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // The Action.Submit fallback (a message whose value is the data): 400.
        var submit = teams.Activity("submit-reject-fallback.json", a => a["value"] = new JsonObject { ["verb"] = "reject", ["approvalId"] = new string('a', 1000), ["token"] = "t" });
        using (var response = await teams.PostAsync(submit))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Equal(2, teams.App.Service<IAuditLog>().Query("card:unknown", 50).Count(e => e.Action == "card.malformed.refused" && e.Channel == TeamsPromptChannel.ChannelName));
        Assert.Equal(ApprovalStatus.Pending, teams.App.ApprovalFor(run.Id)!.Status);
    }

    private static async Task<HttpResponseMessage> PostRawAsync(TeamsApp teams, byte[] body)
    {
        using var client = teams.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", teams.Bot.Mint(teams.App.Clock.GetUtcNow()));
        return await client.SendAsync(request);
    }

    private static string Edit(string activity, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(activity)!.AsObject();
        edit(node);
        return node.ToJsonString();
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
