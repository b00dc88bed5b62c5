using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.Testing;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Tests.Infrastructure;

/// <summary>The whole service with Teams configured against a loopback Bot Framework (<see cref="BotFrameworkServer"/>).</summary>
internal sealed class TeamsApp : IAsyncDisposable
{
    private TeamsApp(ProcurementApp app, BotFrameworkServer bot)
    {
        App = app;
        Bot = bot;
    }

    public ProcurementApp App { get; }

    public BotFrameworkServer Bot { get; }

    public const string PriyaConversation = "a:1Xq-personal-chat";

    public static async Task<TeamsApp> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var bot = await BotFrameworkServer.StartAsync();
        var app = new ProcurementApp();
        foreach (var (key, value) in bot.Settings())
        {
            app.Settings[key] = value;
        }

        configure?.Invoke(app.Settings);
        await app.StartAsync();
        return new TeamsApp(app, bot);
    }

    /// <summary>A fixture from Fixtures/teams with the loopback serviceUrl and the app's (fake) current time.</summary>
    public JsonObject Activity(string fixture, Action<JsonObject>? edit = null)
    {
        var activity = JsonNode.Parse(File.ReadAllText(TestPaths.Fixture("teams/" + fixture)))!.AsObject();
        activity["serviceUrl"] = Bot.ServiceUrl;
        activity["timestamp"] = App.Clock.GetUtcNow().ToString("O");
        edit?.Invoke(activity);
        return activity;
    }

    /// <summary>Posts to /api/messages with a valid token, or <paramref name="authorization"/> as given ("" for none).</summary>
    public async Task<HttpResponseMessage> PostAsync(JsonObject activity, string? authorization = null)
    {
        using var client = App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        authorization ??= "Bearer " + Bot.Mint(App.Clock.GetUtcNow());
        if (authorization.Length > 0)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        return await client.SendAsync(request);
    }

    /// <summary>What Teams sends when Priya installs the app: a conversationUpdate (bot added) and an installationUpdate "add".</summary>
    public async Task InstallPriyaAsync()
    {
        using var response = await PostAsync(Activity("conversation-update-install.json"));
        response.EnsureSuccessStatusCode();
        using var installation = await PostAsync(Activity("conversation-update-install.json", a =>
        {
            a["type"] = "installationUpdate";
            a["action"] = "add";
            a["id"] = "f:install-2";
            a.Remove("membersAdded");
        }));
        installation.EnsureSuccessStatusCode();
    }

    /// <summary>A Procurement Approval run on deal 9003 that needs exactly one stage (sales-vp: Priya or James).</summary>
    public async Task<Run> StartApprovalRunAsync()
    {
        await App.SetDealAsync("9003", new() { ["amount"] = "40000", ["discount_percentage"] = "25" });
        var run = App.StartRun(9003);
        await App.WaitForApprovalAsync(run.Id);
        return run;
    }

    /// <summary>An adaptiveCard/action invoke from Priya with <paramref name="verb"/> and <paramref name="data"/>.</summary>
    public JsonObject Invoke(string verb, JsonObject data, Action<JsonObject>? edit = null) => Activity("invoke-approve.json", a =>
    {
        a["value"]!["action"]!["verb"] = verb;
        a["value"]!["action"]!["id"] = verb;
        a["value"]!["action"]!["data"] = data.DeepClone();
        edit?.Invoke(a);
    });

    public JsonObject CardData(string runId) => new()
    {
        ["approvalId"] = ApprovalService.IdForRun(runId),
        ["token"] = App.Service<ActionTokens>().Issue("approval:" + ApprovalService.IdForRun(runId)),
    };

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await Bot.DisposeAsync();
    }
}
