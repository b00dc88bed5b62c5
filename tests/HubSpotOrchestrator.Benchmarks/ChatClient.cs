using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.Testing;
using HubSpotOrchestrator.Webhooks;

namespace HubSpotOrchestrator.Benchmarks;

/// <summary>
/// What Teams and HubSpot send to the service in the chat benchmark: Bot Framework activities from Priya (the
/// directory's sales VP, config/directory.json) with a token from <see cref="BotFrameworkServer"/>, and HubSpot-signed
/// (v3) deal.propertyChange webhooks. Bodies are built before the clock starts.
/// </summary>
internal sealed class ChatClient(ServiceUnderTest service, BotFrameworkServer bot) : IDisposable
{
    public const string PriyaConversation = "a:1Xq-personal-chat";
    private const string TenantId = "tenant-0001";

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 8, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    // Teams reuses a Bot Framework token until it nears expiry, so one token serves the whole run.
    private readonly string _token = bot.Mint();
    private int _activityIds;
    private long _eventIds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    /// <summary>What Teams sends when Priya installs the app: a conversationUpdate adding the bot to her 1:1 chat.</summary>
    public byte[] Install()
    {
        var activity = Activity("conversationUpdate");
        activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "28:" + BotFrameworkServer.AppId, ["name"] = "HubSpot Orchestrator" });
        return Encoding.UTF8.GetBytes(activity.ToJsonString());
    }

    /// <summary>Priya's click on the card's Approve button (Action.Execute → adaptiveCard/action invoke).</summary>
    public byte[] Approve(string cardActivityId, JsonObject data)
    {
        var activity = Activity("invoke");
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = cardActivityId;
        var clicked = data.DeepClone().AsObject();
        clicked["comment"] = "Within budget";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["id"] = "approve", ["verb"] = "approve", ["data"] = clicked },
            ["trigger"] = "manual",
        };
        return Encoding.UTF8.GetBytes(activity.ToJsonString());
    }

    public async Task<(HttpStatusCode Status, string Body)> PostActivityAsync(byte[] activity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, service.BaseUrl + "/api/messages") { Content = new ByteArrayContent(activity) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A one-event batch: <paramref name="deal"/> moved to contract-sent by HubSpot user 77, with a fresh event id.</summary>
    public byte[] ContractSent(long deal)
    {
        var e = new JsonObject
        {
            ["eventId"] = Interlocked.Increment(ref _eventIds),
            ["subscriptionId"] = 1004,
            ["portalId"] = 62515,
            ["appId"] = 1160452,
            ["occurredAt"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["subscriptionType"] = "deal.propertyChange",
            ["attemptNumber"] = 0,
            ["objectId"] = deal,
            ["changeSource"] = "CRM_UI",
            ["sourceId"] = "userId:77",
            ["propertyName"] = "dealstage",
            ["propertyValue"] = "contractsent",
        };
        return Encoding.UTF8.GetBytes(new JsonArray(e).ToJsonString());
    }

    /// <summary>Signs (v3, timestamp now) and posts a webhook body; returns the HTTP status.</summary>
    public async Task<HttpStatusCode> PostWebhookAsync(byte[] body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, service.SignedUri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(HubSpotRequestVerifier.SignatureV3Header, HubSpotSignature.V3(ServiceUnderTest.ClientSecret, "POST", service.SignedUri, body, timestamp));
        request.Headers.Add(HubSpotRequestVerifier.TimestampHeader, timestamp);
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    public void Dispose() => _http.Dispose();

    private JsonObject Activity(string type) => new()
    {
        ["channelId"] = "msteams",
        ["serviceUrl"] = bot.ServiceUrl,
        ["from"] = new JsonObject { ["id"] = "29:1user-aad-77", ["name"] = "Priya Raman", ["aadObjectId"] = "00000000-0000-0000-0000-000000000077" },
        ["recipient"] = new JsonObject { ["id"] = "28:" + BotFrameworkServer.AppId, ["name"] = "HubSpot Orchestrator" },
        ["conversation"] = new JsonObject { ["id"] = PriyaConversation, ["conversationType"] = "personal", ["tenantId"] = TenantId },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } },
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["locale"] = "en-US",
        ["type"] = type,
        ["id"] = "f:bench-" + Interlocked.Increment(ref _activityIds).ToString(CultureInfo.InvariantCulture),
    };
}
