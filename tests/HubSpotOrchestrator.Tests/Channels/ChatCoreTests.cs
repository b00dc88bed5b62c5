using System.Text.Json.Nodes;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.Cards;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Tests.Channels;

[Collection(AppCollection.Name)]
public sealed class ChatCoreTests
{
    [Fact]
    public async Task EveryPromptKindAndBotAnswer_RendersInTeamsSlackAndHtml()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        var run = app.StartRun(9002);
        await app.WaitForApprovalAsync(run.Id);
        var cards = app.Service<PromptCards>();
        var renderer = app.Service<ICardRenderer>();
        var approval = app.ApprovalFor(run.Id)!;
        var contents = new List<CardContent>
        {
            cards.ForPrompt(new Prompt { Kind = PromptKind.ApprovalRequest, ApprovalId = approval.Id })!,
            cards.ForPrompt(new Prompt { Kind = PromptKind.Reminder, ApprovalId = approval.Id })!,
            cards.ForPrompt(new Prompt { Kind = PromptKind.Escalated, ApprovalId = approval.Id })!,
            cards.ForPrompt(new Prompt { Kind = PromptKind.RequesterNotice, ApprovalId = approval.Id })!,
            cards.Notice("Not allowed", "<script>alert(1)</script>"),
        };
        var bot = app.Service<BotCommands>();
        var sam = app.Service<IPeopleDirectory>().Find("sam.patel");
        var priya = app.Service<IPeopleDirectory>().Find("priya.raman");
        contents.AddRange([bot.Help(), bot.Welcome(priya), bot.Handle(priya, "pending"), bot.Handle(sam, "runs"), bot.Handle(sam, "status " + run.Id), bot.Handle(sam, "status 9002"), bot.Handle(sam, "status Acme"), bot.Handle(null, "runs")]);

        app.Decide(run.Id, "priya.raman", "reject");
        contents.Add(cards.ForPrompt(new Prompt { Kind = PromptKind.RequesterNotice, ApprovalId = approval.Id })!);
        Assert.Equal(["approval-request", "reminder", "escalated", "approval-request", "notice", "help", "welcome", "pending-list", "run-list", "run-status", "run-status", "run-status", "notice", "approval-decided"], contents.Select(c => c.Template));
        foreach (var content in contents)
        {
            Assert.Equal("AdaptiveCard", renderer.RenderTeams(content.Template, content.Data)["type"]!.GetValue<string>());
            Assert.NotNull(renderer.RenderSlack(content.Template, content.Data)["blocks"]);
            var html = renderer.RenderHtml(content.Template, content.Data, "/console/actions");
            Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TamperedToken_IsRefusedAndAudited()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        var run = app.StartRun(9002);
        await app.WaitForApprovalAsync(run.Id);
        var approvalId = ApprovalService.IdForRun(run.Id);
        var priya = app.Service<IPeopleDirectory>().Find("priya.raman");
        var otherToken = app.Service<ActionTokens>().Issue("approval:apr_someone_else");

        var result = app.Service<ChatActions>().Handle(priya, "priya.raman", "approve", new JsonObject { ["approvalId"] = approvalId, ["token"] = otherToken }, "teams");

        Assert.Equal(ChatActionStatus.TamperedToken, result.Status);
        Assert.Equal(ApprovalStatus.Pending, app.ApprovalFor(run.Id)!.Status);
        Assert.Contains(app.Service<IAuditLog>().Query("approval:" + approvalId, 20), e => e.Action == "card.approve.refused" && e.Outcome == "TamperedToken");
    }

    [Fact]
    public async Task UnauthorizedClicker_GetsANotAllowedCardAndAnAuditEntry_AndADoubleClickMakesOneDecision()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        var run = app.StartRun(9002);
        await app.WaitForApprovalAsync(run.Id);
        var approvalId = ApprovalService.IdForRun(run.Id);
        var directory = app.Service<IPeopleDirectory>();
        var actions = app.Service<ChatActions>();
        var data = new JsonObject { ["approvalId"] = approvalId, ["token"] = app.Service<ActionTokens>().Issue("approval:" + approvalId) };

        var refused = actions.Handle(directory.Find("aisha.khan"), "aisha.khan", "approve", data, "slack");
        Assert.Equal((ChatActionStatus.NotAllowed, "notice"), (refused.Status, refused.Card.Template));
        Assert.Contains(app.Service<IAuditLog>().Query("approval:" + approvalId, 20), e => e.Action == "approval.approve.refused" && e.Actor == "aisha.khan");

        var first = actions.Handle(directory.Find("priya.raman"), "priya.raman", "approve", (JsonObject)data.DeepClone(), "slack");
        var second = actions.Handle(directory.Find("priya.raman"), "priya.raman", "approve", (JsonObject)data.DeepClone(), "slack");
        Assert.True(first.Recorded);
        Assert.Equal(ChatActionStatus.AlreadyDecided, second.Status);
        Assert.Single(app.ApprovalFor(run.Id)!.Decisions, d => d.Stage == 0);
        Assert.Equal("approval-request", first.Card.Template);
    }

    [Fact]
    public async Task ExceptionFixFromACard_NeedsOpsAndGoesThroughTheSameFix()
    {
        using var app = new ProcurementApp();
        await app.StartAsync();
        await app.SetDealAsync("9003", new() { ["amount"] = "", ["discount_percentage"] = "5" });
        var run = app.StartRun(9003);
        await app.WaitForAsync(run.Id, RunStatus.Failed);
        var exception = Assert.Single(app.Service<IRunEngineStore>().Exceptions(ExceptionStatus.Open, run.Id, 10));
        // The ops prompt is raised right after the failure is checkpointed.
        await Eventually.TrueAsync(() => app.Service<IPromptStore>().ForRecipient("sam.patel", 10).Any(p => p.Kind == PromptKind.Exception && p.ExceptionId == exception.Id), "exception prompt for ops");
        var card = app.Service<PromptCards>().ForException(exception);
        var data = new JsonObject { ["exceptionId"] = exception.Id, ["token"] = card.Data["token"]!.GetValue<string>(), ["suppliedValue"] = "2500" };
        var directory = app.Service<IPeopleDirectory>();

        Assert.Equal(ChatActionStatus.NotAllowed, app.Service<ChatActions>().Handle(directory.Find("priya.raman"), "priya.raman", "supplyValue", data, "teams").Status);
        var fixedIt = app.Service<ChatActions>().Handle(directory.Find("sam.patel"), "sam.patel", "supplyValue", data, "teams");

        Assert.True(fixedIt.Recorded, fixedIt.Message);
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        Assert.Equal("2500", app.ApprovalFor(run.Id)!.Policy.Input["Amount"]);
    }
}
