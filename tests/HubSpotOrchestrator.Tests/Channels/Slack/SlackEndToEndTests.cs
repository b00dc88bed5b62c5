using System.Net;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.Channels.Slack;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Tests.Channels.Slack;

[Collection(AppCollection.Name)]
public sealed class SlackEndToEndTests
{
    [Fact]
    public async Task ProcurementApproval_IsDecidedFromASlackDm_AndTheRunWritesTheApprovalToHubSpot()
    {
        await using var slack = await SlackApp.StartAsync();

        var (run, post) = await slack.ApprovalDmToPriyaAsync();

        Assert.Single(slack.Slack.Calls("conversations.open"), c => (string?)c["users"] == SlackApp.Priya);
        Assert.Equal("D" + SlackApp.Priya, post.Channel);
        Assert.False(string.IsNullOrEmpty((string?)post.Body["text"]));
        var approvalId = ApprovalService.IdForRun(run.Id);
        // The delivery is recorded just after chat.postMessage answered (the job stores the message reference it got back).
        await Eventually.TrueAsync(
            () => slack.App.Service<IPromptStore>().ForApproval(approvalId).Any(p => p.Deliveries.Any(d => d.Channel == "slack" && d.Reference == post.Channel + "|" + post.Ts)),
            "the Slack delivery recorded with the posted message's reference");

        var value = SlackApp.ButtonValue(post.Body, "approve")!;
        using (var response = await slack.SendAsync(slack.Signed(SlackEndpoints.InteractivityPath, SlackApp.Form(SlackApp.BlockActions(SlackApp.Priya, "approve", value, post.Channel, post.Ts)), "application/x-www-form-urlencoded")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("", await response.Content.ReadAsStringAsync());
        }

        // Recorded before Slack got its 200.
        var approval = slack.App.ApprovalFor(run.Id)!;
        Assert.Equal(ApprovalStatus.Approved, approval.Status);
        Assert.Equal("slack", Assert.Single(approval.Decisions).Channel);

        await Eventually.TrueAsync(
            () => slack.Slack.Calls("chat.update").Any(u => (string?)u["channel"] == post.Channel && (string?)u["ts"] == post.Ts && u.ToJsonString().Contains("Approved by Priya Raman", StringComparison.Ordinal)),
            "chat.update of the clicked message with the decided card");
        await slack.App.WaitForAsync(run.Id, RunStatus.Succeeded);
        Assert.Equal("approved", (string?)slack.App.HubSpot.Object("deals", "9003")["properties"]!["approval_status"]);

        // The decided notice goes to Priya's DM too; Slack paces one message per second per channel, on the app's clock.
        await Eventually.TrueAsync(
            () =>
            {
                slack.App.Clock.Advance(TimeSpan.FromMilliseconds(250));
                return slack.Slack.Posts.Count(p => p.Channel == post.Channel) == 2;
            },
            "the ApprovalDecided prompt DM'd to Priya");
        Assert.DoesNotContain(slack.Slack.Posts.Last(p => p.Channel == post.Channel).Body.ToJsonString(), "\"action_id\":\"approve\"", StringComparison.Ordinal);
    }
}
