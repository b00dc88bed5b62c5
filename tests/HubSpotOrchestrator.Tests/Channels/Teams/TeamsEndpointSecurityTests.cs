using System.Net;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Testing;

namespace HubSpotOrchestrator.Tests.Channels.Teams;

/// <summary>/api/messages refuses forged Bot Framework requests before doing anything, and card clicks are checked at click time.</summary>
[Collection(AppCollection.Name)]
public sealed class TeamsEndpointSecurityTests
{
    [Fact]
    public async Task ForgedTokens_Get401ProblemDetails_AndNothingIsStoredOrDecided()
    {
        await using var teams = await TeamsApp.StartAsync();
        var run = await teams.StartApprovalRunAsync();
        var now = teams.App.Clock.GetUtcNow();
        var callsBefore = teams.Bot.ConnectorCalls.Count();
        var forgeries = new Dictionary<string, string>
        {
            ["wrong issuer"] = "Bearer " + teams.Bot.Mint(now, issuer: "https://sts.windows.net/evil/"),
            ["wrong audience"] = "Bearer " + teams.Bot.Mint(now, audience: "another-bot"),
            ["expired"] = "Bearer " + teams.Bot.Mint(now, expires: now.AddMinutes(-10)),
            ["alg none"] = "Bearer " + teams.Bot.MintAlgNone(now),
            ["key without msteams endorsement"] = "Bearer " + teams.Bot.Mint(now, key: "skype"),
            ["key not in the JWKS"] = "Bearer " + teams.Bot.Mint(now, key: "rogue"),
            ["serviceUrl claim for another host"] = "Bearer " + teams.Bot.Mint(now, serviceUrl: "https://attacker.example/teams/"),
            ["no token (anonymous outside Development)"] = "",
        };

        foreach (var (name, authorization) in forgeries)
        {
            using var install = await teams.PostAsync(teams.Activity("conversation-update-install.json"), authorization);
            using var invoke = await teams.PostAsync(teams.Invoke("approve", teams.CardData(run.Id)), authorization);
            using var message = await teams.PostAsync(teams.Activity("message-pending.json"), authorization);

            foreach (var response in new[] { install, invoke, message })
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: got {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        var priya = teams.App.Service<IPeopleDirectory>().Find("priya.raman")!;
        Assert.Null(teams.App.Service<IConversationReferenceStore>().FindPersonal(priya));
        Assert.Equal(ApprovalStatus.Pending, teams.App.ApprovalFor(run.Id)!.Status);
        Assert.Empty(teams.App.ApprovalFor(run.Id)!.Decisions);
        Assert.Equal(callsBefore, teams.Bot.ConnectorCalls.Count());
    }

    [Fact]
    public async Task AnonymousMode_StopsTheServiceAtStart_OutsideDevelopment()
    {
        var bot = await BotFrameworkServer.StartAsync();
        await using var _ = bot;
        using var app = new ProcurementApp();
        app.Settings["Teams:AllowAnonymousInDevelopment"] = "true";

        var error = await Assert.ThrowsAnyAsync<Exception>(app.StartAsync);

        Assert.Contains("Teams:AllowAnonymousInDevelopment", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TamperedCardToken_GetsTheNoticeCardAndAnAuditEntry_AndNoDecision()
    {
        await using var teams = await TeamsApp.StartAsync();
        var run = await teams.StartApprovalRunAsync();
        var data = teams.CardData(run.Id);
        data["token"] = teams.App.Service<ActionTokens>().Issue("approval:apr_someone_else");

        var card = await InvokeCardAsync(teams, teams.Invoke("approve", data));

        Assert.Contains("Action refused", card, StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.Pending, teams.App.ApprovalFor(run.Id)!.Status);
        Assert.Contains(teams.App.Service<IAuditLog>().Query("approval:" + ApprovalService.IdForRun(run.Id), 20),
            e => e.Action == "card.approve.refused" && e.Outcome == "TamperedToken" && e.Channel == "teams");
    }

    [Fact]
    public async Task UnauthorizedClicker_GetsANotAllowedCard_AndAnAuditEntry()
    {
        await using var teams = await TeamsApp.StartAsync();
        var run = await teams.StartApprovalRunAsync();
        var sam = teams.App.Service<IPeopleDirectory>().Find("sam.patel")!;

        var card = await InvokeCardAsync(teams, teams.Invoke("approve", teams.CardData(run.Id), a =>
            a["from"] = new JsonObject { ["id"] = sam.TeamsUserId, ["aadObjectId"] = sam.TeamsAadObjectId, ["name"] = sam.Name }));

        Assert.Contains("Not allowed", card, StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.Pending, teams.App.ApprovalFor(run.Id)!.Status);
        Assert.Contains(teams.App.Service<IAuditLog>().Query("approval:" + ApprovalService.IdForRun(run.Id), 20),
            e => e.Actor == "sam.patel" && e.Action == "approval.approve.refused" && e.Outcome == "NotAllowed");
    }

    [Fact]
    public async Task DoubleClick_MakesOneDecision_AndALateClickGetsTheCurrentStateCard()
    {
        await using var teams = await TeamsApp.StartAsync();
        var run = await teams.StartApprovalRunAsync();
        var invoke = teams.Invoke("approve", teams.CardData(run.Id));

        var first = teams.PostAsync(invoke);
        var second = teams.PostAsync(invoke);
        using var r1 = await first;
        using var r2 = await second;
        var late = await InvokeCardAsync(teams, teams.Invoke("reject", teams.CardData(run.Id)));

        Assert.Equal(HttpStatusCode.OK, r1.StatusCode);
        Assert.Equal(HttpStatusCode.OK, r2.StatusCode);
        var approval = teams.App.ApprovalFor(run.Id)!;
        Assert.Equal(ApprovalStatus.Approved, approval.Status);
        Assert.Single(approval.Decisions);
        Assert.Contains("Approved:", late, StringComparison.Ordinal);
        Assert.DoesNotContain("Action.Execute", late, StringComparison.Ordinal);
    }

    internal static async Task<string> InvokeCardAsync(TeamsApp teams, JsonObject invoke)
    {
        using var response = await teams.PostAsync(invoke);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(200, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        Assert.Equal("AdaptiveCard", body["value"]!["type"]!.GetValue<string>());
        return body["value"]!.ToJsonString();
    }

    private static string Flatten(Exception error) => error is AggregateException aggregate
        ? string.Join(" | ", aggregate.Flatten().InnerExceptions.Select(e => e.Message))
        : error.Message + (error.InnerException is null ? "" : " | " + Flatten(error.InnerException));
}
