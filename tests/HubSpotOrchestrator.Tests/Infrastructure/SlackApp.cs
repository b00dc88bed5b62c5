using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Testing;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Tests.Infrastructure;

/// <summary>ProcurementApp with Slack configured against a <see cref="FakeSlackApi"/>, and requests signed like Slack's.</summary>
internal sealed class SlackApp : IAsyncDisposable
{
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string Priya = "U2CERLKJA";

    private SlackApp(ProcurementApp app, FakeSlackApi slack)
    {
        App = app;
        Slack = slack;
    }

    public ProcurementApp App { get; }

    public FakeSlackApi Slack { get; }

    public HttpClient Http { get; private set; } = null!;

    public static async Task<SlackApp> StartAsync()
    {
        var slack = await FakeSlackApi.StartAsync();
        var app = new ProcurementApp();
        app.Settings["Slack:BotToken"] = "xoxb-test-token";
        app.Settings["Slack:SigningSecret"] = SigningSecret;
        app.Settings["Slack:ApiBaseUrl"] = slack.ApiBaseUrl;
        await app.StartAsync();
        return new SlackApp(app, slack) { Http = app.CreateClient() };
    }

    /// <summary>A request signed with v0 over <paramref name="body"/>, timestamped <paramref name="skew"/> from the app's clock.</summary>
    public HttpRequestMessage Signed(string path, string body, string contentType, TimeSpan? skew = null, string secret = SigningSecret) =>
        Signed(path, Encoding.UTF8.GetBytes(body), contentType, App.Clock.GetUtcNow() + (skew ?? TimeSpan.Zero), secret);

    /// <summary>A request signed like Slack's (v0) over the raw <paramref name="bytes"/>, timestamped <paramref name="at"/>.</summary>
    public static HttpRequestMessage Signed(string path, byte[] bytes, string contentType, DateTimeOffset at, string secret = SigningSecret)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(bytes).ToArray()));
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Slack-Signature", signature);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            return await Http.SendAsync(request);
        }
    }

    public static string Form(JsonObject payload) => "payload=" + Uri.EscapeDataString(payload.ToJsonString());

    /// <summary>A block_actions payload like Slack's (fixtures/slack/block-actions-approve.json) for a click on a message.</summary>
    public static JsonObject BlockActions(string slackUserId, string verb, string value, string channel, string ts)
    {
        var payload = JsonNode.Parse(File.ReadAllText(TestPaths.Fixture("slack/block-actions-approve.json")))!.AsObject();
        payload["user"]!["id"] = slackUserId;
        payload["container"]!["channel_id"] = channel;
        payload["container"]!["message_ts"] = ts;
        payload["channel"]!["id"] = channel;
        payload["message"]!["ts"] = ts;
        var action = payload["actions"]![0]!;
        action["action_id"] = verb;
        action["value"] = value;
        return payload;
    }

    /// <summary>The value of the button <paramref name="verb"/> in a posted Block Kit message.</summary>
    public static string? ButtonValue(JsonObject message, string verb) =>
        (message["blocks"] as JsonArray)?.OfType<JsonObject>()
            .SelectMany(b => (b["elements"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .FirstOrDefault(e => (string?)e["action_id"] == verb)?["value"]?.GetValue<string>();

    /// <summary>Starts a procurement run for deal 9003 (one sales-vp stage) and waits until its card is DM'd to Priya.</summary>
    public async Task<(Run Run, PostedMessage Post)> ApprovalDmToPriyaAsync()
    {
        await App.SetDealAsync("9003", new() { ["amount"] = "40000", ["discount_percentage"] = "25" });
        var run = App.StartRun(9003);
        await App.WaitForApprovalAsync(run.Id);
        PostedMessage? post = null;
        await Eventually.TrueAsync(
            () => (post = Slack.Posts.FirstOrDefault(p => p.Channel == "D" + Priya && ButtonValue(p.Body, "approve") is not null)) is not null,
            () => "the approval card DM'd to Priya; Slack calls: " + string.Join(", ", Slack.Paths));
        return (run, post!);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        App.Dispose();
        await Slack.DisposeAsync();
    }
}
