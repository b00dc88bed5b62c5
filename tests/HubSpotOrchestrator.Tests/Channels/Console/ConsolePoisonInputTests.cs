using System.Net;
using System.Text;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Audit;

namespace HubSpotOrchestrator.Tests.Channels.Console;

/// <summary>
/// Console form posts the fuzzer found to answer 500 (an undecodable or duplicated key in the action JSON, a NUL in a
/// form value) or to carry an overlong id towards the audit index: each is now a 400 page, and nothing is decided.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ConsolePoisonInputTests
{
    [Fact]
    public async Task ActionsThatCannotBeRead_OrCarryAnOverlongId_Are400_AndDecideNothing()
    {
        using var app = new ConsoleApp();
        await app.StartAsync();
        var run = await app.PendingApprovalAsync();
        using var client = new ConsoleClient(app.Browser());
        await client.SignInAsync("priya.raman");
        var antiforgery = ConsoleClient.AntiforgeryToken(await client.InboxAsync());
        (string Action, string Expected)[] cases =
        [
            ("{\"verb\":\"approve\",\"approvalId\":\"\\ud800\",\"token\":\"t\"}", "carry an &#39;action&#39; field"),
            ("{\"verb\":\"approve\",\"verb\":\"reject\",\"approvalId\":\"x\"}", "carry an &#39;action&#39; field"),
            ($"{{\"verb\":\"approve\",\"approvalId\":\"{new string('a', 1000)}\",\"token\":\"t\"}}", "is longer than 256"),
        ];

        foreach (var (action, expected) in cases)
        {
            using var response = await client.PostActionAsync(action, antiforgery);
            var page = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {action[..Math.Min(80, action.Length)]}");
            Assert.Contains(expected, page, StringComparison.Ordinal);
        }

        // A NUL in a form value: the form reader throws inside the anti-forgery check (before: 500).
        using var form = new StringContent("action=%00&__RequestVerificationToken=" + Uri.EscapeDataString(antiforgery), Encoding.ASCII, "application/x-www-form-urlencoded");
        using var unreadable = await client.Http.PostAsync("/console/actions", form);
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        Assert.Contains("The form could not be read", await unreadable.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Contains(app.Service<IAuditLog>().Query("card:unknown", 50), e => e.Action == "card.malformed.refused" && e.Channel == "console");
        Assert.Equal(ApprovalStatus.Pending, app.ApprovalFor(run.Id)!.Status);
    }
}
