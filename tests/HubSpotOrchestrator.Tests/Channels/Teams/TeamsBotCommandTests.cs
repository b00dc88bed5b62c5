using System.Net;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Testing;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Tests.Channels.Teams;

[Collection(AppCollection.Name)]
public sealed class TeamsBotCommandTests
{
    [Fact]
    public async Task StatusAndPending_AreAnsweredWithCards_InTheSendersChat()
    {
        await using var teams = await TeamsApp.StartAsync();
        var run = await teams.StartApprovalRunAsync();
        var before = teams.Bot.PostedCards(TeamsApp.PriyaConversation).Count;

        using var status = await teams.PostAsync(teams.Activity("message-status.json", a => a["text"] = "status " + run.Id));
        using var pending = await teams.PostAsync(teams.Activity("message-pending.json"));

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pending.StatusCode);
        var replies = teams.Bot.PostedCards(TeamsApp.PriyaConversation).Skip(before).Select(c => c.Card.ToJsonString()).ToList();
        Assert.Contains(replies, c => c.Contains($"Run {run.Id}:", StringComparison.Ordinal));
        Assert.Contains(replies, c => c.Contains("Waiting for you: 1", StringComparison.Ordinal));
        var priya = teams.App.Service<IPeopleDirectory>().Find("priya.raman")!;
        Assert.NotNull(teams.App.Service<IConversationReferenceStore>().FindPersonal(priya));
    }

    [Fact]
    public async Task ChannelMessage_WithTheBotMention_RunsTheCommandAfterTheMention()
    {
        await using var teams = await TeamsApp.StartAsync();
        var run = await teams.StartApprovalRunAsync();
        var message = teams.Activity("message-status.json", a =>
        {
            a["text"] = "<at>HubSpot Orchestrator</at> status " + run.Id;
            a["entities"] = new JsonArray(new JsonObject
            {
                ["type"] = "mention",
                ["text"] = "<at>HubSpot Orchestrator</at>",
                ["mentioned"] = new JsonObject { ["id"] = "28:" + BotFrameworkServer.AppId, ["name"] = "HubSpot Orchestrator" },
            });
        });

        using var response = await teams.PostAsync(message);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(teams.Bot.PostedCards(TeamsApp.PriyaConversation), c => c.Card.ToJsonString().Contains($"Run {run.Id}:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownTeamsIds_AreMatchedByTheMembersEmail()
    {
        await using var teams = await TeamsApp.StartAsync();
        teams.Bot.Members["29:1new-device-id"] = new JsonObject { ["id"] = "29:1new-device-id", ["email"] = "Priya.Raman@example.com" };
        var message = teams.Activity("message-pending.json", a => a["from"] = new JsonObject { ["id"] = "29:1new-device-id", ["name"] = "Priya Raman" });

        using var response = await teams.PostAsync(message);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(teams.Bot.ConnectorCalls, r => r.Method == "GET" && r.Path.EndsWith("/members/29:1new-device-id", StringComparison.Ordinal));
        var reply = Assert.Single(teams.Bot.PostedCards(TeamsApp.PriyaConversation)).Card.ToJsonString();
        Assert.Contains("Nothing is waiting for you", reply, StringComparison.Ordinal);
    }

    [Fact]
    public void StripMentions_RemovesOnlyTheBotMention()
    {
        var activity = new Activity
        {
            Text = "<at>Bot</at> status Acme",
            Recipient = new ChannelAccount { Id = "28:bot" },
            Entities = [System.Text.Json.JsonSerializer.SerializeToElement(new { type = "mention", text = "<at>Bot</at>", mentioned = new { id = "28:bot" } })],
        };

        Assert.Equal("status Acme", TeamsBot.StripMentions(activity));
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/teams/|a:1Xq|act-1", "https://smba.trafficmanager.net/teams/", "a:1Xq", "act-1")]
    [InlineData("http://localhost:56150/_connector|19:abc@thread.tacv2;messageid=1|17640", "http://localhost:56150/_connector", "19:abc@thread.tacv2;messageid=1", "17640")]
    public void MessageRef_RoundTrips(string text, string serviceUrl, string conversation, string activity)
    {
        var parsed = TeamsMessageRef.TryParse(text);
        Assert.Equal(new TeamsMessageRef(serviceUrl, conversation, activity), parsed);
        Assert.Equal(text, parsed!.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("C123|1712.0001")]
    [InlineData("https://x|conv|")]
    public void MessageRef_RejectsOtherShapes(string? text) => Assert.Null(TeamsMessageRef.TryParse(text));
}
