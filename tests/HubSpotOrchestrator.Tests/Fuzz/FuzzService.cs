using System.Net;
using System.Net.Http.Headers;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Tests.Fuzz;

/// <summary>
/// The whole service on a real Kestrel loopback port, in Development (so the console signs in), with Slack and Teams
/// configured against their loopback stand-ins: every endpoint is live. Holds a pending approval and its action token
/// so that fuzzed clicks and decisions also meet a real record.
/// </summary>
internal sealed class FuzzService : IAsyncDisposable
{
    private FuzzService(ProcurementApp app, FakeSlackApi slack, BotFrameworkServer bot)
    {
        App = app;
        Slack = slack;
        Bot = bot;
    }

    public ProcurementApp App { get; }

    public FakeSlackApi Slack { get; }

    public BotFrameworkServer Bot { get; }

    public Uri Address => App.Address;

    public string ApprovalId { get; private set; } = "";

    public string ApprovalToken { get; private set; } = "";

    public string RunId { get; private set; } = "";

    /// <summary>Tokens of the JSON API by role: viewer, approver, ops, admin.</summary>
    public Dictionary<string, string> ApiTokens { get; } = [];

    /// <summary>The console's signed-in cookies and an anti-forgery token for its forms (Priya, sales VP).</summary>
    public (CookieContainer Cookies, string Antiforgery) Console { get; private set; }

    public static async Task<FuzzService> StartAsync()
    {
        var slack = await FakeSlackApi.StartAsync();
        var bot = await BotFrameworkServer.StartAsync();
        var app = new ProcurementApp(environment: "Development", kestrel: true);
        foreach (var (key, value) in bot.Settings())
        {
            app.Settings[key] = value;
        }

        app.Settings["Slack:BotToken"] = "xoxb-test-token";
        app.Settings["Slack:SigningSecret"] = SlackApp.SigningSecret;
        app.Settings["Slack:ApiBaseUrl"] = slack.ApiBaseUrl;
        await app.StartAsync();
        var service = new FuzzService(app, slack, bot);
        await service.PrepareAsync();
        return service;
    }

    /// <summary>A client of the Kestrel server that follows no redirects and keeps no cookies (each request is on its own).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The client owns the handler (disposeHandler: true).")]
    public HttpClient Client(CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new CookieContainer(),
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        };
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    private async Task PrepareAsync()
    {
        var run = await App.PendingApprovalAsync();
        RunId = run.Id;
        ApprovalId = ApprovalService.IdForRun(run.Id);
        ApprovalToken = App.Service<ActionTokens>().Issue("approval:" + ApprovalId);
        var issuer = App.Service<TokenIssuer>();
        foreach (var role in new[] { Roles.Viewer, "approver", "ops", "admin" })
        {
            ApiTokens[role] = issuer.Mint(role == "approver" ? "priya.raman" : "fuzz@example.com", [role], TimeSpan.FromHours(2));
        }

        var cookies = new CookieContainer();
        using var client = Client(cookies);
        using var console = new ConsoleClient(client);
        using var signedIn = await console.SignInAsync("priya.raman");
        if (signedIn.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"console sign-in answered {signedIn.StatusCode}");
        }

        Console = (cookies, ConsoleClient.AntiforgeryToken(await console.InboxAsync()));
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await Slack.DisposeAsync();
        await Bot.DisposeAsync();
    }
}
