using System.Net;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.Channels.Slack;

namespace HubSpotOrchestrator.Tests.Channels.Slack;

/// <summary>
/// Signed Slack requests the fuzzer found to answer 500 (or to push an overlong id into a store index), each posted
/// again over HTTP, signed like Slack: now a 400 problem for what does not have Slack's documented shape, and the
/// documented answer (200, field ignored) for an optional field of another JSON kind.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SlackPoisonInputTests
{
    private const string Form = "application/x-www-form-urlencoded";
    private const string Json = "application/json";
    private static readonly string[] TimeChannels = ["C0TIME1", "C0TIME2", "C0TIME3"];

    [Fact]
    public async Task EventsApiBodies_OfTheWrongKindsOrWithLoneSurrogates_Are400OrIgnored_Never500()
    {
        await using var slack = await SlackApp.StartAsync();
        (string Body, HttpStatusCode Expected)[] cases =
        [
            (Mention("Ev0TIME0001", edit: e => (e["event_time"], e["event"]!["channel"]) = ("abc", "C0TIME1")), HttpStatusCode.OK),
            (Mention("Ev0TIME0002", edit: e => (e["event_time"], e["event"]!["channel"]) = (new JsonObject(), "C0TIME2")), HttpStatusCode.OK),
            (Mention("Ev0TIME0003", edit: e => (e["event_time"], e["event"]!["channel"]) = (1e300, "C0TIME3")), HttpStatusCode.OK),
            (Mention("Ev0SURR0001", text: "\\ud800 help"), HttpStatusCode.BadRequest),
            (Mention("Ev0SURR0002").Replace("\"type\":\"event_callback\"", "\"\\udfff\":1,\"type\":\"event_callback\"", StringComparison.Ordinal), HttpStatusCode.BadRequest),
            (Mention(new string('E', 20_000)), HttpStatusCode.BadRequest),
            (Mention("Ev0KIND0001", edit: e => e["event"] = "x"), HttpStatusCode.BadRequest),
            (Mention("Ev0KIND0002", edit: e => e["type"] = 5), HttpStatusCode.BadRequest),
            (Mention("Ev0KIND0003", edit: e => e["event"]!["user"] = new JsonArray()), HttpStatusCode.OK),
        ];

        foreach (var (body, expected) in cases)
        {
            using var request = slack.Signed(SlackEndpoints.EventsPath, body, Json);
            using var response = await slack.Http.SendAsync(request);
            Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} for {body[..Math.Min(body.Length, 200)]}: {await response.Content.ReadAsStringAsync()}");
        }

        // event_time of the wrong kind is only ignored: each mention is answered (in its own channel: posts are paced per channel).
        await Eventually.TrueAsync(() => TimeChannels.All(c => slack.Slack.Posts.Any(p => p.Channel == c)), () => "the three mentions with an odd event_time answered; posts in: " + string.Join(", ", slack.Slack.Posts.Select(p => p.Channel)));
    }

    [Fact]
    public async Task Clicks_WithStateOfAnotherKind_AreHandled_OtherFieldsOfTheWrongKindAre400()
    {
        await using var slack = await SlackApp.StartAsync();
        var (run, post) = await slack.ApprovalDmToPriyaAsync();
        var value = SlackApp.ButtonValue(post.Body, "approve")!;
        JsonObject Click(Action<JsonObject> edit)
        {
            var payload = SlackApp.BlockActions(SlackApp.Priya, "approve", value.Replace("apr_", "apr_x", StringComparison.Ordinal), post.Channel, post.Ts);
            edit(payload);
            return payload;
        }

        (JsonObject Payload, HttpStatusCode Expected)[] cases =
        [
            (Click(p => p["state"] = "x"), HttpStatusCode.OK),
            (Click(p => p["state"] = 5), HttpStatusCode.OK),
            (Click(p => p["state"] = new JsonObject { ["values"] = new JsonObject { ["b"] = new JsonObject { ["a"] = new JsonObject { ["value"] = 5, ["selected_option"] = "x" } } } }), HttpStatusCode.OK),
            (Click(p => p["channel"] = "x"), HttpStatusCode.OK),
            (Click(p => p["container"] = new JsonArray()), HttpStatusCode.OK),
            (Click(p => p["message"] = 5), HttpStatusCode.OK),
            (Click(p => p["actions"]![0]!["value"] = 5), HttpStatusCode.OK),
            (Click(p => p["user"] = "U2CERLKJA"), HttpStatusCode.BadRequest),
            (Click(p => p["user"]!["id"] = 5), HttpStatusCode.BadRequest),
            (Click(p => p["actions"] = new JsonObject()), HttpStatusCode.BadRequest),
            (Click(p => p["actions"]![0] = 5), HttpStatusCode.BadRequest),
            (Click(p => p["actions"] = new JsonArray([.. Enumerable.Range(0, 30).Select(_ => (JsonNode)new JsonObject { ["action_id"] = "approve" })])), HttpStatusCode.BadRequest),
        ];

        foreach (var (payload, expected) in cases)
        {
            using var request = slack.Signed(SlackEndpoints.InteractivityPath, SlackApp.Form(payload), Form);
            using var response = await slack.Http.SendAsync(request);
            Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} for {payload.ToJsonString()}: {await response.Content.ReadAsStringAsync()}");
        }

        // With state a string (before: 500), the click on the real card still decides.
        var approve = SlackApp.BlockActions(SlackApp.Priya, "approve", value, post.Channel, post.Ts);
        approve["state"] = "x";
        using var decided = await slack.SendAsync(slack.Signed(SlackEndpoints.InteractivityPath, SlackApp.Form(approve), Form));
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Equal(ApprovalStatus.Approved, slack.App.ApprovalFor(run.Id)!.Status);
    }

    [Fact]
    public async Task Clicks_WithLoneSurrogatesOrOverlongIds_AreRefused_AndOverlongIdsAudited()
    {
        await using var slack = await SlackApp.StartAsync();
        var (run, post) = await slack.ApprovalDmToPriyaAsync();
        var token = JsonNode.Parse(SlackApp.ButtonValue(post.Body, "approve")!)!["token"]!.GetValue<string>();
        async Task<HttpResponseMessage> ClickAsync(string value, string? rawPayload = null) => await slack.SendAsync(slack.Signed(
            SlackEndpoints.InteractivityPath, rawPayload ?? SlackApp.Form(SlackApp.BlockActions(SlackApp.Priya, "approve", value, post.Channel, post.Ts)), Form));

        // A 20 KB approval id (before: refused, then the audit subject overflowed LiteDB's index: 500): over Slack's 2,000-character value.
        using (var huge = await ClickAsync($"{{\"approvalId\":\"{new string('a', 20_000)}\",\"token\":\"{token}\"}}"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
            Assert.Contains("\"value\" is longer than 2000 characters", await DetailAsync(huge), StringComparison.Ordinal);
        }

        // A 1,000-character id fits in a value: refused as malformed, audited under a bounded subject.
        using (var overlong = await ClickAsync($"{{\"approvalId\":\"{new string('b', 1000)}\",\"token\":\"{token}\"}}"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, overlong.StatusCode);
            Assert.Contains("malformed: \"approvalId\" is longer than 256", await DetailAsync(overlong), StringComparison.Ordinal);
        }

        Assert.Contains(slack.App.Service<IAuditLog>().Query("card:unknown", 50), e => e.Action == "card.malformed.refused" && e.Channel == "slack" && e.Actor == "priya.raman");

        // Lone surrogates: in the payload itself a 400; inside the button's value the data is unreadable, so the click carries no id.
        var payload = SlackApp.Form(SlackApp.BlockActions(SlackApp.Priya, "approve", "{}", post.Channel, post.Ts)).Replace("priya", "%5Cud800", StringComparison.Ordinal);
        using (var surrogate = await ClickAsync("", payload))
        {
            Assert.Equal(HttpStatusCode.BadRequest, surrogate.StatusCode);
        }

        using (var inValue = await ClickAsync($"{{\"approvalId\":\"\\ud800\",\"token\":\"{token}\"}}"))
        {
            Assert.Equal(HttpStatusCode.OK, inValue.StatusCode);
        }

        Assert.Equal(ApprovalStatus.Pending, slack.App.ApprovalFor(run.Id)!.Status);
    }

    [Fact]
    public async Task SlashCommands_WithOverlongFields_Are400()
    {
        await using var slack = await SlackApp.StartAsync();
        foreach (var body in new[] { "command=%2Fhso&text=help&user_id=" + new string('U', 20_000), "command=%2Fhso&user_id=U2CERLKJA&text=" + new string('t', 50_000) })
        {
            using var request = slack.Signed(SlackEndpoints.CommandsPath, body, Form);
            using var response = await slack.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();

    private static string Mention(string eventId, string text = "<@U0BOT> help", Action<JsonObject>? edit = null)
    {
        var body = new JsonObject
        {
            ["team_id"] = "T1DC2JH3J",
            ["type"] = "event_callback",
            ["event_id"] = eventId,
            ["event_time"] = 1764086400,
            ["event"] = new JsonObject { ["type"] = "app_mention", ["user"] = SlackApp.Priya, ["text"] = "TEXT", ["ts"] = "1764086400.000300", ["channel"] = "C0APPROVALS" },
        };
        edit?.Invoke(body);
        return body.ToJsonString().Replace("\"TEXT\"", "\"" + text + "\"", StringComparison.Ordinal);
    }
}
