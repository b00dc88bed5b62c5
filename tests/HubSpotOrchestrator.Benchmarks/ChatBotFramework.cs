using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Benchmarks;

/// <summary>A card the recording connector received: when (Stopwatch ticks, taken on arrival), where, and its approve action's data.</summary>
internal sealed record ChatPostedCard(long At, string ConversationId, string ActivityId, JsonObject? ApproveData);

/// <summary>
/// The Bot Framework around the bot, on loopback: OpenID metadata + JWKS (one RSA key endorsed for "msteams"), the
/// client-credentials token endpoint, and a Bot Connector under <see cref="ServiceUrl"/> that answers like Teams
/// (201 {id} for posts and new conversations, 200 for updates) and records the cards posted. Mints the inbound
/// tokens the Bot Framework would send (RS256, iss api.botframework.com, aud = app id, serviceurl claim).
/// </summary>
internal sealed class ChatBotFramework : IAsyncDisposable
{
    public const string AppId = "11111111-2222-3333-4444-555555555555";
    public const string AppPassword = "bench-bot-secret";
    private const string MetadataPath = "/v1/.well-known/openidconfiguration";
    private const string KeyId = "bench-key-teams";

    private readonly RSA _key = RSA.Create(2048);
    private ChatLoopback _server = null!;
    private int _activityIds;
    private int _updates;

    public string BaseUrl => _server.BaseUrl;

    public string ServiceUrl => BaseUrl + "/teams/";

    public ConcurrentQueue<ChatPostedCard> Posted { get; } = new();

    public int Updates => Volatile.Read(ref _updates);

    public string[] ServiceArgs =>
    [
        $"--Teams:AppId={AppId}",
        $"--Teams:AppPassword={AppPassword}",
        $"--Teams:OpenIdMetadataUrl={BaseUrl}{MetadataPath}",
        $"--Teams:TokenUrl={BaseUrl}/token",
    ];

    public static async Task<ChatBotFramework> StartAsync()
    {
        var bot = new ChatBotFramework();
        bot._server = await ChatLoopback.StartAsync(app => app.Run(bot.HandleAsync));
        return bot;
    }

    /// <summary>An inbound Bot Framework token for activities carrying <see cref="ServiceUrl"/>, valid for an hour.</summary>
    public string Mint()
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://api.botframework.com",
            Audience = AppId,
            Claims = new Dictionary<string, object> { ["serviceurl"] = ServiceUrl },
            NotBefore = now.AddMinutes(-1),
            IssuedAt = now.AddMinutes(-1),
            Expires = now.AddHours(1),
            Subject = new ClaimsIdentity(),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _key.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        var request = context.Request;
        var path = request.Path.Value ?? "";
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        context.Response.ContentType = "application/json";
        if (path == MetadataPath)
        {
            await context.Response.WriteAsync(new JsonObject
            {
                ["issuer"] = "https://api.botframework.com",
                ["jwks_uri"] = BaseUrl + "/v1/.well-known/keys",
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            }.ToJsonString());
        }
        else if (path == "/v1/.well-known/keys")
        {
            var parameters = _key.ExportParameters(false);
            var jwk = new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = KeyId,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus!),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent!),
                ["endorsements"] = new JsonArray("msteams"),
            };
            await context.Response.WriteAsync(new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString());
        }
        else if (path == "/token")
        {
            await context.Response.WriteAsync("""{"token_type":"Bearer","expires_in":3600,"ext_expires_in":3600,"access_token":"bench-outbound-token"}""");
        }
        else if (request.Method == "POST" && path == "/teams/v3/conversations")
        {
            var member = JsonNode.Parse(body)?["members"]?[0]?["id"]?.GetValue<string>() ?? "unknown";
            context.Response.StatusCode = 201;
            await context.Response.WriteAsync(new JsonObject { ["id"] = "a:created-" + member }.ToJsonString());
        }
        else if (request.Method == "POST" && path.StartsWith("/teams/v3/conversations/", StringComparison.Ordinal) && path.EndsWith("/activities", StringComparison.Ordinal))
        {
            var id = "act-" + Interlocked.Increment(ref _activityIds);
            var conversation = Uri.UnescapeDataString(path.Split('/')[4]);
            var card = JsonNode.Parse(body)?["attachments"]?[0]?["content"];
            Posted.Enqueue(new ChatPostedCard(arrived, conversation, id, ActionData(card, "approve")));
            context.Response.StatusCode = 201;
            await context.Response.WriteAsync(new JsonObject { ["id"] = id }.ToJsonString());
        }
        else if (request.Method == "PUT" && path.Contains("/activities/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _updates);
            await context.Response.WriteAsync(new JsonObject { ["id"] = path.Split('/')[^1] }.ToJsonString());
        }
        else
        {
            context.Response.StatusCode = 404;
        }
    }

    /// <summary>The <c>data</c> of the card's Action.Execute with <paramref name="verb"/>; null when the card has none.</summary>
    public static JsonObject? ActionData(JsonNode? node, string verb) => node switch
    {
        JsonObject o when o["type"]?.GetValue<string>() == "Action.Execute" && o["verb"]?.GetValue<string>() == verb => o["data"]?.AsObject(),
        JsonObject o => o.Select(p => ActionData(p.Value, verb)).FirstOrDefault(d => d is not null),
        JsonArray a => a.Select(n => ActionData(n, verb)).FirstOrDefault(d => d is not null),
        _ => null,
    };
}
