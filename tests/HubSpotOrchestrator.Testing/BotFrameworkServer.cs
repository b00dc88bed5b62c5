using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HubSpotOrchestrator.Testing;

/// <summary>
/// A loopback stand-in for the Bot Framework around a bot under test: OpenID metadata + JWKS (keys with
/// endorsements), the token endpoint, and a Bot Connector under <see cref="ServiceUrl"/> that records every
/// conversation call and answers like Teams (201 {id} for posts, 200 for updates, a member record for members).
/// Mints inbound tokens signed by its keys.
/// </summary>
public sealed class BotFrameworkServer : IAsyncDisposable
{
    public const string AppId = "11111111-2222-3333-4444-555555555555";
    public const string AppPassword = "test-bot-secret";
    public const string MetadataPath = "/v1/.well-known/openidconfiguration";

    private readonly RSA _teamsKey = RSA.Create(2048);
    private readonly RSA _skypeKey = RSA.Create(2048);
    private readonly RSA _rogueKey = RSA.Create(2048);
    private readonly Dictionary<RecordedRequest, string> _postIds = new(ReferenceEqualityComparer.Instance);
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
        Cards("POST", conversationId);

    /// <summary>Card replacements (PUT …/activities/{id}), oldest first.</summary>
    public IReadOnlyList<(string Id, JsonObject Card)> UpdatedCards(string? conversationId = null) =>
        Cards("PUT", conversationId);

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

    private List<(string Id, JsonObject Card)> Cards(string method, string? conversationId)
    {
        var result = new List<(string, JsonObject)>();
        foreach (var request in _server.Requests.Where(r => r.Method == method && r.Path.Contains("/activities", StringComparison.Ordinal)))
        {
            var segments = request.Path.Split('/');
            var conversation = Uri.UnescapeDataString(segments[4]);
            if (conversationId is not null && conversation != conversationId)
            {
                continue;
            }

            var body = JsonNode.Parse(request.Body)!.AsObject();
            if (body["attachments"]?[0]?["content"] is JsonObject card)
            {
                var id = method == "PUT" ? Uri.UnescapeDataString(segments[6]) : IdOf(request);
                result.Add((id, card));
            }
        }

        return result;
    }

    private string IdOf(RecordedRequest request)
    {
        lock (_postIds)
        {
            return _postIds.TryGetValue(request, out var id) ? id : "";
        }
    }

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
        else if (request.Method == "POST" && path.EndsWith("/activities", StringComparison.Ordinal))
        {
            var id = "act-" + Interlocked.Increment(ref _activityIds);
            lock (_postIds)
            {
                _postIds[request] = id;
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
