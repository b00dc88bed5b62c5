using System.Net;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Tests.Channels.Console;

[Collection(AppCollection.Name)]
public sealed class ConsoleTests
{
    [Fact]
    public async Task SignIn_ListsActivePeople_AndSetsTheConsoleCookie_WhichTheInboxAccepts()
    {
        using var app = new ConsoleApp();
        await app.StartAsync();
        using var client = new ConsoleClient(app.Browser());

        var page = await client.Http.GetStringAsync("/console/signin");
        Assert.Contains("value=\"priya.raman\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"li.wei\"", page, StringComparison.Ordinal);

        using var signIn = await client.SignInAsync("priya.raman");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/console/inbox", signIn.Headers.Location?.OriginalString);
        Assert.Contains(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hso.console=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));

        var inbox = await client.InboxAsync();
        Assert.Contains("Signed in as <strong>Priya Raman</strong>", inbox, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inbox_RedirectsToSignIn_WhenNotSignedIn_WhileTheApiStillAnswers401()
    {
        using var app = new ConsoleApp();
        await app.StartAsync();
        using var http = app.Browser();

        using var inbox = await http.GetAsync("/console/inbox");
        Assert.Equal(HttpStatusCode.Redirect, inbox.StatusCode);
        Assert.StartsWith("/console/signin?ReturnUrl=", inbox.Headers.Location?.PathAndQuery, StringComparison.Ordinal);

        using var api = await http.GetAsync("/api/approvals");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task SignIn_IsRefusedWithAnExplanation_OutsideDevelopment()
    {
        using var app = new ConsoleApp(environment: "Production");
        await app.StartAsync();
        using var http = app.Browser();

        using var page = await http.GetAsync("/console/signin");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("only available when the service runs in the Development environment", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["person"] = "sam.patel" });
        using var post = await http.PostAsync("/console/signin", form);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.DoesNotContain(post.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("hso.console=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_WithoutTheAntiforgeryToken_IsRejected()
    {
        using var app = new ConsoleApp();
        await app.StartAsync();
        using var http = app.Browser();
        _ = await http.GetStringAsync("/console/signin");

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["person"] = "sam.patel", ["returnUrl"] = "/console/inbox" });
        using var post = await http.PostAsync("/console/signin", form);

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains("anti-forgery check failed", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inbox_ShowsTheApprovalCardToItsApprover_WithAnAntiforgeryField_AndNotToOthers()
    {
        using var app = new ConsoleApp();
        await app.StartAsync();
        var run = await app.PendingApprovalAsync();
        using var priya = new ConsoleClient(app.Browser());
        await priya.SignInAsync("priya.raman");

        var inbox = await priya.InboxAsync();
        var card = ConsoleClient.Card(inbox, "approval-request");
        Assert.NotNull(card);
        Assert.Contains(ApprovalService.IdForRun(run.Id), card, StringComparison.Ordinal);
        Assert.Contains("data-verb=\"approve\"", card, StringComparison.Ordinal);
        Assert.Contains("name=\"__RequestVerificationToken\"", card, StringComparison.Ordinal);
        Assert.Contains("Waiting for you <span class=\"count\">(1)</span>", inbox, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"exceptions\"", inbox, StringComparison.Ordinal);

        using var marco = new ConsoleClient(app.Browser());
        await marco.SignInAsync("marco.bianchi");
        var other = await marco.InboxAsync();
        Assert.Equal(0, ConsoleClient.CardCount(other, "approval-request"));
        Assert.Contains("Nothing is waiting for your decision.", other, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_FromTheConsole_ResumesTheRun_WritesHubSpot_AndTheRefreshShowsTheDecidedCard()
    {
        using var app = new ConsoleApp();
        await app.StartAsync();
        var run = await app.PendingApprovalAsync();
        using var priya = new ConsoleClient(app.Browser());
        await priya.SignInAsync("priya.raman");

        using var click = await priya.ClickAsync(await priya.InboxAsync(), "approval-request", "approve");

        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal("/console/inbox", click.Headers.Location?.OriginalString);
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        Assert.Equal("approved", app.DealProperty("9003", "approval_status"));
        var decision = Assert.Single(app.ApprovalFor(run.Id)!.Decisions);
        Assert.Equal(("priya.raman", "console"), (decision.By, decision.Channel));

        var afterClick = await priya.InboxAsync();
        Assert.Contains("class=\"flash ok\"", afterClick, StringComparison.Ordinal);
        Assert.Equal(0, ConsoleClient.CardCount(afterClick, "approval-request"));

        var refreshed = await priya.InboxAsync();
        Assert.DoesNotContain("class=\"flash", refreshed, StringComparison.Ordinal);
        var decided = ConsoleClient.Card(refreshed, "approval-decided");
        Assert.NotNull(decided);
        Assert.Contains("Approved", decided, StringComparison.Ordinal);
        Assert.DoesNotContain("<button", decided, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Action_WithoutTheAntiforgeryToken_IsRejected_AndDecidesNothing()
    {
        using var app = new ConsoleApp();
        await app.StartAsync();
        var run = await app.PendingApprovalAsync();
        using var priya = new ConsoleClient(app.Browser());
        await priya.SignInAsync("priya.raman");
        var approvalId = ApprovalService.IdForRun(run.Id);
        var action = new JsonObject { ["verb"] = "approve", ["approvalId"] = approvalId, ["token"] = app.Service<ActionTokens>().Issue("approval:" + approvalId) };

        using var post = await priya.PostActionAsync(action.ToJsonString(), antiforgeryToken: null);

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(ApprovalStatus.Pending, app.ApprovalFor(run.Id)!.Status);
    }

    [Fact]
    public async Task TamperedToken_Gets403_WithTheRefusalCard_AndIsAudited()
    {
        using var app = new ConsoleApp();
        await app.StartAsync();
        var run = await app.PendingApprovalAsync();
        using var priya = new ConsoleClient(app.Browser());
        await priya.SignInAsync("priya.raman");
        var approvalId = ApprovalService.IdForRun(run.Id);
        var forged = app.Service<ActionTokens>().Issue("approval:apr_someone_else");

        using var post = await priya.ClickAsync(await priya.InboxAsync(), "approval-request", "approve", tamper: action =>
        {
            var json = JsonNode.Parse(action)!.AsObject();
            json["token"] = forged;
            return json.ToJsonString();
        });

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        var page = await post.Content.ReadAsStringAsync();
        Assert.Contains("data-card=\"notice\"", page, StringComparison.Ordinal);
        Assert.Contains("action token is not valid", page, StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.Pending, app.ApprovalFor(run.Id)!.Status);
        Assert.Contains(app.Service<IAuditLog>().Query("approval:" + approvalId, 20),
            e => e.Action == "card.approve.refused" && e.Outcome == "TamperedToken" && e.Channel == "console" && e.Actor == "priya.raman");
    }

    [Fact]
    public async Task UnauthorizedPerson_IsToldTheyAreNotAllowed_AndTheApprovalStaysOpen()
    {
        using var app = new ConsoleApp();
        await app.StartAsync();
        var run = await app.PendingApprovalAsync();
        var approvalId = ApprovalService.IdForRun(run.Id);
        using var aisha = new ConsoleClient(app.Browser());
        await aisha.SignInAsync("aisha.khan");
        var inbox = await aisha.InboxAsync();
        var action = new JsonObject { ["verb"] = "approve", ["approvalId"] = approvalId, ["token"] = app.Service<ActionTokens>().Issue("approval:" + approvalId) };

        using var post = await aisha.PostActionAsync(action.ToJsonString(), ConsoleClient.AntiforgeryToken(inbox));

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var after = await aisha.InboxAsync();
        Assert.Contains("class=\"flash refused\"", after, StringComparison.Ordinal);
        Assert.Contains("<strong>Not allowed:</strong>", after, StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.Pending, app.ApprovalFor(run.Id)!.Status);
        Assert.Empty(app.ApprovalFor(run.Id)!.Decisions);
    }

    [Fact]
    public async Task PageChromeAndCards_EscapeDirectoryNames()
    {
        using var app = new ConsoleApp();
        File.WriteAllText(app.DirectoryFile, File.ReadAllText(app.DirectoryFile).Replace("\"Priya Raman\"", "\"Priya <img src=x onerror=alert(1)>\"", StringComparison.Ordinal));
        await app.StartAsync();
        using var priya = new ConsoleClient(app.Browser());

        var signIn = await priya.Http.GetStringAsync("/console/signin");
        await priya.SignInAsync("priya.raman");
        var inbox = await priya.InboxAsync();

        Assert.Contains("Priya &lt;img src=x onerror=alert(1)&gt;", signIn, StringComparison.Ordinal);
        Assert.Contains("Signed in as <strong>Priya &lt;img src=x onerror=alert(1)&gt;</strong>", inbox, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", signIn + inbox, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpsSeeOpenExceptions_AndCanActOnThem_WhileOthersDoNotSeeThem()
    {
        using var app = new ConsoleApp();
        await app.StartAsync();
        var run = await app.PendingApprovalAsync();
        app.Service<IRunEngineStore>().SaveException(new ExceptionRecord
        {
            Id = "exc_console_1",
            RunId = run.Id,
            Workflow = run.Workflow,
            Step = "write-back",
            Kind = "Permanent",
            Error = "HubSpot refused <the> write",
            Fixes = ["retry", "skip", "cancel"],
            Status = ExceptionStatus.Open,
            CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
        });
        using var priya = new ConsoleClient(app.Browser());
        await priya.SignInAsync("priya.raman");
        Assert.Equal(0, ConsoleClient.CardCount(await priya.InboxAsync(), "exception"));
        using var sam = new ConsoleClient(app.Browser());
        await sam.SignInAsync("sam.patel");

        var inbox = await sam.InboxAsync();
        var card = ConsoleClient.Card(inbox, "exception");
        Assert.NotNull(card);
        Assert.Contains("HubSpot refused &lt;the&gt; write", card, StringComparison.Ordinal);

        using var cancel = await sam.ClickAsync(inbox, "exception", "cancel");

        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        await app.WaitForAsync(run.Id, RunStatus.Cancelled);
        var record = app.Service<IRunEngineStore>().GetException("exc_console_1")!;
        Assert.Equal((ExceptionStatus.Resolved, "sam.patel"), (record.Status, record.ResolvedBy));
        var after = await sam.InboxAsync();
        Assert.Contains("class=\"flash ok\"", after, StringComparison.Ordinal);
        Assert.Contains("Open exceptions <span class=\"count\">(0)</span>", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_ClearsTheSignIn()
    {
        using var app = new ConsoleApp();
        await app.StartAsync();
        using var client = new ConsoleClient(app.Browser());
        await client.SignInAsync("sam.patel");
        var inbox = await client.InboxAsync();

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = ConsoleClient.AntiforgeryToken(inbox) });
        using var signOut = await client.Http.PostAsync("/console/signout", form);
        using var after = await client.Http.GetAsync("/console/inbox");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/console/signin", after.Headers.Location?.AbsolutePath, StringComparison.Ordinal);
    }
}
