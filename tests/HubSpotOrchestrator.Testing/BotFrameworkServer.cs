using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HubSpotOrchestrator.Testing;

/// <summary>A card the Bot Connector received in a POST …/activities, recorded as it arrived.</summary>
/// <param name="At">Arrival as a <see cref="System.Diagnostics.Stopwatch"/> timestamp (taken before the body was read).</param>
/// <param name="ActivityId">The id the connector answered with.</param>
public sealed record PostedCard(long At, string ConversationId, string ActivityId, JsonObject Card)
{
    /// <summary>The <c>data</c> of the card's Approve button (Action.Execute, verb approve); null when it has none.</summary>
    public JsonObject? ApproveData { get; } = BotFrameworkServer.ActionData(Card, "approve");
}

/// <summary>
/// A loopback stand-in for the Bot Framework around a bot under test: OpenID metadata + JWKS (keys with
/// endorsements), the token endpoint, and a Bot Connector under <see cref="ServiceUrl"/> that records every
/// conversation call and answers like Teams (201 {id} for posts and new conversations, 200 for updates, a member
/// record for members). Mints the inbound tokens the Bot Framework would send (RS256, iss api.botframework.com,
/// aud = app id, serviceurl claim), signed by its keys.
/// </summary>
public sealed class BotFrameworkServer : IAsyncDisposable
{
    public const string AppId = "11111111-2222-3333-4444-555555555555";
    public const string AppPassword = "test-bot-secret";
    public const string MetadataPath = "/v1/.well-known/openidconfiguration";

    private readonly RSA _teamsKey = RSA.Create(2048);
    private readonly RSA _skypeKey = RSA.Create(2048);
    private readonly RSA _rogueKey = RSA.Create(2048);
    private int _activityIds;
    private LoopbackServer _server = null!;

    private BotFrameworkServer()
    {
    }

    public string BaseUrl => _server.BaseUrl;

    /// <summary>The serviceUrl activities carry; the recorded Bot Connector lives under it.</summary>
    public string ServiceUrl => _server.BaseUrl + "/teams/";

    /// <summary>Member records answered by GET …/members/{userId}, by user id.</summary>
    public Dictionary<string, JsonObject> Members { get; } = new(StringComparer.Ordinal);

    public IEnumerable<RecordedRequest> ConnectorCalls => _server.Requests.Where(r => r.Path.StartsWith("/teams/v3/conversations", StringComparison.Ordinal));

    /// <summary>Every card posted to a conversation (POST …/activities), in the order the connector gave their ids.</summary>
    public ConcurrentQueue<PostedCard> Posted { get; } = new();

    /// <summary><see cref="Settings"/> as command-line arguments for a service started in this process.</summary>
    public IReadOnlyList<string> ServiceArgs => [.. Settings().Select(s => $"--{s.Key}={s.Value}")];

    public static async Task<BotFrameworkServer> StartAsync()
    {
        var server = new BotFrameworkServer();
        server._server = await LoopbackServer.StartAsync(server.HandleAsync);
        return server;
    }

    public Dictionary<string, string?> Settings() => new()
    {
        ["Teams:AppId"] = AppId,
        ["Teams:AppPassword"] = AppPassword,
        ["Teams:OpenIdMetadataUrl"] = BaseUrl + MetadataPath,
        ["Teams:TokenUrl"] = BaseUrl + "/token",
    };

    /// <summary>Card-carrying posts (POST …/activities) to <paramref name="conversationId"/>, oldest first, with the id the connector gave each.</summary>
    public IReadOnlyList<(string Id, JsonObject Card)> PostedCards(string? conversationId = null) =>
        [.. Posted.Where(p => conversationId is null || p.ConversationId == conversationId).Select(p => (p.ActivityId, p.Card))];

    /// <summary>Card replacements (PUT …/activities/{id}), oldest first.</summary>
    public IReadOnlyList<(string Id, JsonObject Card)> UpdatedCards(string? conversationId = null)
    {
        var result = new List<(string, JsonObject)>();
        foreach (var request in _server.Requests.Where(r => r.Method == "PUT" && r.Path.Contains("/activities/", StringComparison.Ordinal)))
        {
            var segments = request.Path.Split('/');
            if ((conversationId is null || Uri.UnescapeDataString(segments[4]) == conversationId) && Card(request.Body) is { } card)
            {
                result.Add((Uri.UnescapeDataString(segments[6]), card));
            }
        }

        return result;
    }

    /// <summary>An inbound token as the Bot Framework sends it now: for <see cref="ServiceUrl"/>, valid for an hour.</summary>
    public string Mint() => Mint(DateTimeOffset.UtcNow);

    public string Mint(
        DateTimeOffset now,
        string issuer = "https://api.botframework.com",
        string audience = AppId,
        string? serviceUrl = null,
        DateTimeOffset? expires = null,
        string key = "teams")
    {
        var claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl ?? ServiceUrl };
        var (rsa, kid) = key switch
        {
            "skype" => (_skypeKey, "key-skype"),
            "rogue" => (_rogueKey, "key-teams"),
            _ => (_teamsKey, "key-teams"),
        };
        var nbf = (expires ?? now.AddHours(1)) < now ? now.AddHours(-2) : now.AddMinutes(-1);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = nbf.UtcDateTime,
            IssuedAt = nbf.UtcDateTime,
            Expires = (expires ?? now.AddHours(1)).UtcDateTime,
            Subject = new ClaimsIdentity(),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public string MintAlgNone(DateTimeOffset now)
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT","kid":"key-teams"}""");
        var payload = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new
        {
            iss = "https://api.botframework.com",
            aud = AppId,
            serviceurl = ServiceUrl,
            nbf = now.AddMinutes(-1).ToUnixTimeSeconds(),
            exp = now.AddHours(1).ToUnixTimeSeconds(),
        }));
        return $"{header}.{payload}.";
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _teamsKey.Dispose();
        _skypeKey.Dispose();
        _rogueKey.Dispose();
    }

    /// <summary>The <c>data</c> of the card's Action.Execute with <paramref name="verb"/>; null when the card has none.</summary>
    public static JsonObject? ActionData(JsonNode? node, string verb) => node switch
    {
        JsonObject o when o["type"]?.GetValue<string>() == "Action.Execute" && o["verb"]?.GetValue<string>() == verb => o["data"]?.AsObject(),
        JsonObject o => o.Select(p => ActionData(p.Value, verb)).FirstOrDefault(d => d is not null),
        JsonArray a => a.Select(n => ActionData(n, verb)).FirstOrDefault(d => d is not null),
        _ => null,
    };

    /// <summary>The Adaptive Card an outgoing activity carries (its first attachment's content), if any.</summary>
    private static JsonObject? Card(string activity) =>
        JsonNode.Parse(activity.Length == 0 ? "{}" : activity)?["attachments"]?[0]?["content"] as JsonObject;

    private async Task HandleAsync(HttpContext context, RecordedRequest request)
    {
        context.Response.ContentType = "application/json";
        var path = request.Path;
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
            await context.Response.WriteAsync(new JsonObject { ["keys"] = new JsonArray(Jwk(_teamsKey, "key-teams", "msteams"), Jwk(_skypeKey, "key-skype", "skype")) }.ToJsonString());
        }
        else if (path == "/token")
        {
            await context.Response.WriteAsync("""{"token_type":"Bearer","expires_in":3600,"ext_expires_in":3600,"access_token":"bot-outbound-token"}""");
        }
        else if (request.Method == "POST" && path == "/teams/v3/conversations")
        {
            var member = JsonNode.Parse(request.Body)?["members"]?[0]?["id"]?.GetValue<string>() ?? "unknown";
            context.Response.StatusCode = 201;
            await context.Response.WriteAsync(new JsonObject { ["id"] = "a:created-" + member }.ToJsonString());
        }
        else if (request.Method == "POST" && path.StartsWith("/teams/v3/conversations/", StringComparison.Ordinal) && path.Contains("/activities", StringComparison.Ordinal))
        {
            // SendToConversation (…/activities) and ReplyToActivity (…/activities/{replyToId}) both answer 201 ResourceResponse.
            var card = Card(request.Body);
            string id;
            lock (Posted)
            {
                id = "act-" + ++_activityIds;
                if (card is not null)
                {
                    Posted.Enqueue(new PostedCard(request.Arrived, Uri.UnescapeDataString(path.Split('/')[4]), id, card));
                }
            }

            context.Response.StatusCode = 201;
            await context.Response.WriteAsync(new JsonObject { ["id"] = id }.ToJsonString());
        }
        else if (request.Method == "PUT" && path.Contains("/activities/", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync(new JsonObject { ["id"] = path.Split('/')[^1] }.ToJsonString());
        }
        else if (request.Method == "GET" && path.Contains("/members/", StringComparison.Ordinal))
        {
            if (Members.TryGetValue(Uri.UnescapeDataString(path.Split('/')[^1]), out var member))
            {
                await context.Response.WriteAsync(member.ToJsonString());
            }
            else
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("""{"error":{"code":"MemberNotFoundInConversation"}}""");
            }
        }
        else
        {
            context.Response.StatusCode = 404;
        }
    }

    private static JsonObject Jwk(RSA rsa, string kid, string endorsement)
    {
        var parameters = rsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus!),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent!),
            ["endorsements"] = new JsonArray(endorsement),
        };
    }
}
