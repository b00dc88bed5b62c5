using System.Net;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Testing;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Tests.Channels.Teams;

/// <summary>The whole path through Teams: install, proactive approval card, click, decision, HubSpot write-back.</summary>
[Collection(AppCollection.Name)]
public sealed class TeamsEndToEndTests
{
    [Fact]
    public async Task InstalledApprover_GetsTheCard_ApprovesFromIt_AndTheRunWritesApprovedToHubSpot()
    {
        await using var teams = await TeamsApp.StartAsync();
        await teams.InstallPriyaAsync();
        var welcome = Assert.Single(teams.Bot.PostedCards(TeamsApp.PriyaConversation));
        Assert.Contains("Welcome, Priya!", welcome.Card.ToJsonString(), StringComparison.Ordinal);

        var run = await teams.StartApprovalRunAsync();
        (string Id, JsonObject Card) request = default;
        await Eventually.TrueAsync(
            () => (request = teams.Bot.PostedCards(TeamsApp.PriyaConversation).FirstOrDefault(c => BotFrameworkServer.ActionData(c.Card, "approve") is not null)).Card is not null,
            "the approval card posted to Priya's chat");
        var priya = teams.App.Service<IPeopleDirectory>().Find("priya.raman")!;
        Assert.Contains(priya.TeamsUserId!, request.Card!["refresh"]!["userIds"]!.AsArray().Select(u => u!.GetValue<string>()));
        // The delivery is recorded just after the card is posted (the job stores the message reference it got back).
        var reference = $"{teams.Bot.ServiceUrl}|{TeamsApp.PriyaConversation}|{request.Id}";
        await Eventually.TrueAsync(
            () => teams.App.Service<IPromptStore>().ForApproval(ApprovalService.IdForRun(run.Id))
                .Any(p => p.RecipientId == "priya.raman" && p.Kind == PromptKind.ApprovalRequest && p.Deliveries.Exists(d => d.Channel == "teams" && d.Reference == reference)),
            "the Teams delivery recorded with the posted message's reference");

        var card = await TeamsEndpointSecurityTests.InvokeCardAsync(teams, teams.Invoke("approve", BotFrameworkServer.ActionData(request.Card, "approve")!));

        Assert.Contains("Approved:", card, StringComparison.Ordinal);
        Assert.DoesNotContain("Action.Execute", card, StringComparison.Ordinal);
        await teams.App.WaitForAsync(run.Id, RunStatus.Succeeded);
        Assert.Equal("approved", teams.App.HubSpot.Object("deals", "9003")["properties"]!["approval_status"]!.GetValue<string>());

        // The decided prompt replaces the request card in Priya's chat, so no live buttons are left behind.
        await Eventually.TrueAsync(
            () => teams.Bot.UpdatedCards(TeamsApp.PriyaConversation).Any(u => u.Id == request.Id && u.Card.ToJsonString().Contains("Approved:", StringComparison.Ordinal)),
            "the request card replaced by the decided card");
    }

    [Fact]
    public async Task RecipientWithoutAStoredConversation_GetsANew1To1Chat_InTheLearnedTenant()
    {
        await using var teams = await TeamsApp.StartAsync();
        await teams.InstallPriyaAsync();
        await teams.StartApprovalRunAsync();
        var james = teams.App.Service<IPeopleDirectory>().Find("james.okafor")!;

        await Eventually.TrueAsync(() => teams.Bot.PostedCards("a:created-" + james.TeamsUserId).Count > 0, "the approval card in a new chat with James");

        var create = teams.Bot.ConnectorCalls.First(r => r.Method == "POST" && r.Path == "/teams/v3/conversations" && r.Body.Contains(james.TeamsUserId!, StringComparison.Ordinal));
        var body = JsonNode.Parse(create.Body)!;
        Assert.Equal("tenant-0001", body["channelData"]!["tenant"]!["id"]!.GetValue<string>());
        Assert.Equal("28:" + BotFrameworkServer.AppId, body["bot"]!["id"]!.GetValue<string>());
        Assert.Equal("Bearer bot-outbound-token", create.Headers["Authorization"]);
        Assert.NotNull(teams.App.Service<IConversationReferenceStore>().FindPersonal(james));
    }

    [Fact]
    public async Task SubmitFallback_DecidesAndThenReplacesTheClickedCard()
    {
        await using var teams = await TeamsApp.StartAsync();
        var run = await teams.StartApprovalRunAsync();
        var data = teams.CardData(run.Id);
        var submit = teams.Activity("submit-reject-fallback.json", a =>
        {
            a["value"]!["approvalId"] = data["approvalId"]!.GetValue<string>();
            a["value"]!["token"] = data["token"]!.GetValue<string>();
        });

        using var response = await teams.PostAsync(submit);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ApprovalStatus.Rejected, teams.App.ApprovalFor(run.Id)!.Status);
        await Eventually.TrueAsync(
            () => teams.Bot.UpdatedCards(TeamsApp.PriyaConversation).Any(u => u.Id == "1764086399999" && u.Card.ToJsonString().Contains("Rejected:", StringComparison.Ordinal)),
            "the clicked card (replyToId) replaced by the rejected card");
    }

    [Fact]
    public async Task UnknownActivityTypes_AreAcknowledgedAndIgnored()
    {
        await using var teams = await TeamsApp.StartAsync();
        var before = teams.Bot.ConnectorCalls.Count();

        using var response = await teams.PostAsync(teams.Activity("message-pending.json", a => a["type"] = "messageReaction"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, teams.Bot.ConnectorCalls.Count());
    }
}
