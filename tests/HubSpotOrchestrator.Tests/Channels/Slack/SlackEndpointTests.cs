using System.Net;
using System.Text.Json.Nodes;
using Hangfire;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.Channels.Slack;
using HubSpotOrchestrator.Testing;

namespace HubSpotOrchestrator.Tests.Channels.Slack;

[Collection(AppCollection.Name)]
public sealed class SlackEndpointTests
{
    private const string Form = "application/x-www-form-urlencoded";
    private const string Json = "application/json";
    private static readonly string SlashStatus = File.ReadAllText(TestPaths.Fixture("slack/slash-command-status.txt")).Trim();

    [Fact]
    public async Task BadSignatureOrStaleTimestamp_Is401_AndNothingHappens_OnAllThreeEndpoints()
    {
        await using var slack = await SlackApp.StartAsync();
        var (run, post) = await slack.ApprovalDmToPriyaAsync();
        var value = SlackApp.ButtonValue(post.Body, "approve")!;
        var mention = MentionEvent("Ev0SIGNED01", SlackApp.Priya, "<@U0BOT> help");
        (string Path, string Body, string Type)[] requests =
        [
            (SlackEndpoints.EventsPath, mention, Json),
            (SlackEndpoints.InteractivityPath, SlackApp.Form(SlackApp.BlockActions(SlackApp.Priya, "approve", value, post.Channel, post.Ts)), Form),
            (SlackEndpoints.CommandsPath, SlashStatus, Form),
        ];

        foreach (var (path, body, type) in requests)
        {
            foreach (var (what, request) in new[]
            {
                ("wrong secret", slack.Signed(path, body, type, secret: "not-the-signing-secret")),
                ("6 minutes old", slack.Signed(path, body, type, skew: TimeSpan.FromMinutes(-6))),
                ("6 minutes ahead", slack.Signed(path, body, type, skew: TimeSpan.FromMinutes(6))),
                ("unsigned", new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, type) }),
            })
            {
                using var response = await slack.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path} {what}: {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        await JobsIdleAsync(slack);
        Assert.Equal(ApprovalStatus.Pending, slack.App.ApprovalFor(run.Id)!.Status);
        Assert.Empty(slack.Slack.Calls("chat.update"));
        Assert.DoesNotContain(slack.Slack.Posts, p => p.Channel == "C0APPROVALS");
        Assert.DoesNotContain(slack.App.Service<IAuditLog>().Query("approval:" + ApprovalService.IdForRun(run.Id), 50), e => e.Channel == "slack");

        // The refused event was not recorded as seen: the same event, properly signed, is answered.
        using var accepted = await slack.SendAsync(slack.Signed(SlackEndpoints.EventsPath, mention, Json));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await Eventually.TrueAsync(() => slack.Slack.Posts.Any(p => p.Channel == "C0APPROVALS"), "the reply to the mention");
    }

    [Fact]
    public async Task UrlVerification_EchoesTheChallenge()
    {
        await using var slack = await SlackApp.StartAsync();
        using var response = await slack.SendAsync(slack.Signed(SlackEndpoints.EventsPath, File.ReadAllText(TestPaths.Fixture("slack/url-verification.json")), Json));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MentionsAndDms_AreAnswered_BotMessagesIgnored_AndARetriedEventIdIsHandledOnce()
    {
        await using var slack = await SlackApp.StartAsync();
        slack.Slack.Users["U0SAMNEW"] = "sam.patel@example.com";
        var mention = MentionEvent("Ev0MENTION1", SlackApp.Priya, "<@U0BOT|hso> help", ts: "1764086500.000300");

        using (var first = await slack.SendAsync(slack.Signed(SlackEndpoints.EventsPath, mention, Json)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var retry = slack.Signed(SlackEndpoints.EventsPath, mention, Json);
        retry.Headers.Add("X-Slack-Retry-Num", "1");
        retry.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        using (var second = await slack.SendAsync(retry))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        await Send(slack, DmEvent("Ev0DMSAM001", "U0SAMNEW", "D0SAMDM", "runs", bot: false));
        await Send(slack, DmEvent("Ev0DMSTRANG", "U0NOBODY", "D0NOBODYDM", "pending", bot: false));
        await Send(slack, DmEvent("Ev0DMBOT001", null, "D0SAMDM", "Approval needed", bot: true));
        // Wait for the outcome itself: "queue empty and nothing processing" is also true between fetch and start.
        await Eventually.TrueAsync(() =>
        {
            slack.App.Clock.Advance(TimeSpan.FromMilliseconds(250));
            return slack.Slack.Posts.Count >= 3;
        }, () => $"three replies (have {slack.Slack.Posts.Count})");
        await JobsIdleAsync(slack);

        var reply = Assert.Single(slack.Slack.Posts, p => p.Channel == "C0APPROVALS");
        Assert.Equal("1764086500.000300", (string?)reply.Body["thread_ts"]);
        Assert.Contains("pending", reply.Body["blocks"]!.ToJsonString(), StringComparison.Ordinal);
        // Sam is not in the directory under this Slack id, but users.info gives his email.
        var toSam = Assert.Single(slack.Slack.Posts, p => p.Channel == "D0SAMDM");
        Assert.Null(toSam.Body["thread_ts"]);
        Assert.DoesNotContain("Who are you", toSam.Body.ToJsonString(), StringComparison.Ordinal);
        var toStranger = Assert.Single(slack.Slack.Posts, p => p.Channel == "D0NOBODYDM");
        Assert.Contains("Who are you", toStranger.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(3, slack.Slack.Posts.Count);
        Assert.False(slack.App.Service<ISlackEventLog>().TryRecord("Ev0MENTION1"), "event ids are stored in LiteDB");
    }

    [Fact]
    public async Task SlashCommands_AreAnsweredEphemerally_InTheResponse()
    {
        await using var slack = await SlackApp.StartAsync();

        var status = await CommandAsync(slack, SlashStatus);
        var help = await CommandAsync(slack, SlashStatus.Replace("text=status+9002", "text=help", StringComparison.Ordinal));
        var stranger = await CommandAsync(slack, SlashStatus.Replace("text=status+9002", "text=pending", StringComparison.Ordinal).Replace("U2CERLKJA", "U0NOBODY", StringComparison.Ordinal));

        Assert.All(new[] { status, help, stranger }, r =>
        {
            Assert.Equal("ephemeral", (string?)r["response_type"]);
            Assert.False(string.IsNullOrEmpty((string?)r["text"]));
            Assert.NotEmpty(r["blocks"]!.AsArray());
        });
        Assert.Contains("9002", status.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("runs [failed", help.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Who are you", stranger.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(slack.Slack.Calls("chat.postMessage"));
    }

    [Fact]
    public async Task Clicks_TamperedTokenAndUnauthorizedAreRefused_DoubleClickDecidesOnce_LaterClickShowsTheDecision()
    {
        await using var slack = await SlackApp.StartAsync();
        var (run, post) = await slack.ApprovalDmToPriyaAsync();
        var approvalId = ApprovalService.IdForRun(run.Id);
        var value = SlackApp.ButtonValue(post.Body, "approve")!;
        var tampered = JsonNode.Parse(value)!.AsObject();
        tampered["token"] = slack.App.Service<ActionTokens>().Issue("approval:apr_someone_else");

        await ClickAsync(slack, SlackApp.Priya, "approve", tampered.ToJsonString(), post);
        await UpdatedWithAsync(slack, post, "not valid");
        Assert.Contains(slack.App.Service<IAuditLog>().Query("approval:" + approvalId, 50), e => e.Action == "card.approve.refused" && e.Outcome == "TamperedToken" && e.Channel == "slack");
        Assert.Equal(ApprovalStatus.Pending, slack.App.ApprovalFor(run.Id)!.Status);

        await ClickAsync(slack, "U04AKHAN1", "approve", value, post);
        await UpdatedWithAsync(slack, post, "Not allowed");
        Assert.Equal(ApprovalStatus.Pending, slack.App.ApprovalFor(run.Id)!.Status);

        await Task.WhenAll(ClickAsync(slack, SlackApp.Priya, "approve", value, post), ClickAsync(slack, SlackApp.Priya, "approve", value, post));
        var approval = slack.App.ApprovalFor(run.Id)!;
        Assert.Equal(ApprovalStatus.Approved, approval.Status);
        Assert.Single(approval.Decisions);

        var updatesBefore = slack.Slack.Calls("chat.update").Count;
        await ClickAsync(slack, SlackApp.Priya, "reject", SlackApp.ButtonValue(post.Body, "reject")!, post);
        await Eventually.TrueAsync(() => slack.Slack.Calls("chat.update").Count > updatesBefore, "the update after the late click");
        await JobsIdleAsync(slack);
        Assert.All(slack.Slack.Calls("chat.update").Skip(updatesBefore), u => Assert.Contains("Approved by Priya Raman", u.ToJsonString(), StringComparison.Ordinal));
        Assert.Equal(ApprovalStatus.Approved, slack.App.ApprovalFor(run.Id)!.Status);
        Assert.Single(slack.App.ApprovalFor(run.Id)!.Decisions);
    }

    internal static async Task ClickAsync(SlackApp slack, string slackUserId, string verb, string value, PostedMessage post)
    {
        using var response = await slack.SendAsync(slack.Signed(SlackEndpoints.InteractivityPath, SlackApp.Form(SlackApp.BlockActions(slackUserId, verb, value, post.Channel, post.Ts)), Form));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    private static Task UpdatedWithAsync(SlackApp slack, PostedMessage post, string text) =>
        Eventually.TrueAsync(
            () => slack.Slack.Calls("chat.update").Any(u => (string?)u["channel"] == post.Channel && (string?)u["ts"] == post.Ts && u.ToJsonString().Contains(text, StringComparison.Ordinal)),
            () => $"chat.update of {post.Channel}|{post.Ts} containing '{text}'; updates: " + string.Join(" ", slack.Slack.Calls("chat.update").Select(u => (string?)u["text"])));

    private static async Task<JsonObject> CommandAsync(SlackApp slack, string body)
    {
        using var response = await slack.SendAsync(slack.Signed(SlackEndpoints.CommandsPath, body, Form));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static async Task Send(SlackApp slack, string body)
    {
        using var response = await slack.SendAsync(slack.Signed(SlackEndpoints.EventsPath, body, Json));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// Waits until Hangfire has nothing queued or running, so "nothing else was sent" can be asserted. Moves the app's
    /// clock on meanwhile: Slack pacing (1 message/s per channel) waits on it.
    /// </summary>
    internal static Task JobsIdleAsync(SlackApp slack)
    {
        var monitor = slack.App.Service<JobStorage>().GetMonitoringApi();
        return Eventually.TrueAsync(
            () =>
            {
                slack.App.Clock.Advance(TimeSpan.FromMilliseconds(250));
                return monitor.EnqueuedCount("default") == 0 && monitor.EnqueuedCount("critical") == 0 && monitor.ProcessingCount() == 0;
            },
            "Hangfire idle");
    }

    private static string MentionEvent(string eventId, string user, string text, string ts = "1764086400.000300") => new JsonObject
    {
        ["token"] = "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        ["team_id"] = "T1DC2JH3J",
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = 1764086400,
        ["event"] = new JsonObject { ["type"] = "app_mention", ["user"] = user, ["text"] = text, ["ts"] = ts, ["channel"] = "C0APPROVALS" },
    }.ToJsonString();

    private static string DmEvent(string eventId, string? user, string channel, string text, bool bot)
    {
        var ev = new JsonObject { ["type"] = "message", ["channel_type"] = "im", ["text"] = text, ["ts"] = "1764086400.000400", ["channel"] = channel };
        if (user is not null)
        {
            ev["user"] = user;
        }

        if (bot)
        {
            ev["bot_id"] = "B0BOT";
        }

        return new JsonObject { ["type"] = "event_callback", ["team_id"] = "T1DC2JH3J", ["event_id"] = eventId, ["event"] = ev }.ToJsonString();
    }
}
