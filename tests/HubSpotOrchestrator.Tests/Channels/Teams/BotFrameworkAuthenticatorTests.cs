using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HubSpotOrchestrator.Tests.Channels.Teams;

/// <summary>Forged Bot Framework tokens against a loopback OpenID metadata + JWKS (with endorsements).</summary>
public sealed class BotFrameworkAuthenticatorTests : IAsyncLifetime
{
    private const string AppId = "11111111-2222-3333-4444-555555555555";
    private const string ServiceUrl = "https://smba.trafficmanager.net/emea/";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 16, 0, 0, TimeSpan.Zero);

    private readonly RSA _teamsKey = RSA.Create(2048);
    private readonly RSA _otherChannelKey = RSA.Create(2048);
    private readonly RSA _rogueKey = RSA.Create(2048);
    private readonly FakeTimeProvider _time = new(Now);
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(async (context, request) =>
        {
            context.Response.ContentType = "application/json";
            if (request.Path == "/v1/.well-known/openidconfiguration")
            {
                await context.Response.WriteAsync(new JsonObject
                {
                    ["issuer"] = "https://api.botframework.com",
                    ["authorization_endpoint"] = "https://invalid.botframework.com",
                    ["jwks_uri"] = _server.BaseUrl + "/v1/.well-known/keys",
                    ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                    ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
                }.ToJsonString());
            }
            else if (request.Path == "/v1/.well-known/keys")
            {
                await context.Response.WriteAsync(new JsonObject
                {
                    ["keys"] = new JsonArray(Jwk(_teamsKey, "key-teams", "msteams", "emulator"), Jwk(_otherChannelKey, "key-skype", "skype")),
                }.ToJsonString());
            }
            else
            {
                context.Response.StatusCode = 404;
            }
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _teamsKey.Dispose();
        _otherChannelKey.Dispose();
        _rogueKey.Dispose();
    }

    [Fact]
    public async Task ValidToken_IsAuthenticated_AndTrustsTheServiceUrl()
    {
        using var services = Services();
        var result = await Authenticate(services, "Bearer " + Token(), Activity());

        Assert.True(result.Succeeded, result.Reason);
        Assert.False(result.IsAnonymous);
        Assert.Equal(AppId, result.Identity!.FindFirst("aud")!.Value);
        Assert.True(services.GetRequiredService<TrustedServiceUrls>().IsTrusted(ServiceUrl));
    }

    [Fact]
    public async Task ServiceUrlClaim_MatchesWhenOnlyTheTrailingSlashDiffers()
    {
        using var services = Services();
        var result = await Authenticate(services, "Bearer " + Token(serviceUrl: ServiceUrl.TrimEnd('/')), Activity());
        Assert.True(result.Succeeded, result.Reason);
    }

    [Fact]
    public async Task WrongIssuer_Fails()
    {
        using var services = Services();
        var result = await Authenticate(services, "Bearer " + Token(issuer: "https://sts.windows.net/evil/"), Activity());
        AssertFailed(result, BotAuthenticationFailure.InvalidIssuer, services);
    }

    [Fact]
    public async Task WrongAudience_Fails()
    {
        using var services = Services();
        var result = await Authenticate(services, "Bearer " + Token(audience: "another-bot"), Activity());
        AssertFailed(result, BotAuthenticationFailure.InvalidAudience, services);
    }

    [Fact]
    public async Task ExpiredBeyondTheFiveMinuteSkew_Fails()
    {
        using var services = Services();
        var token = Token(notBefore: Now.AddHours(-2), expires: Now.AddMinutes(-6));
        var result = await Authenticate(services, "Bearer " + token, Activity());
        AssertFailed(result, BotAuthenticationFailure.Expired, services);
    }

    [Fact]
    public async Task ExpiredWithinTheFiveMinuteSkew_IsAccepted()
    {
        using var services = Services();
        var token = Token(notBefore: Now.AddHours(-2), expires: Now.AddMinutes(-4));
        var result = await Authenticate(services, "Bearer " + token, Activity());
        Assert.True(result.Succeeded, result.Reason);
    }

    [Fact]
    public async Task NotYetValid_Fails()
    {
        using var services = Services();
        var token = Token(notBefore: Now.AddMinutes(10), expires: Now.AddHours(1));
        var result = await Authenticate(services, "Bearer " + token, Activity());
        AssertFailed(result, BotAuthenticationFailure.NotYetValid, services);
    }

    [Fact]
    public async Task AlgNone_Fails()
    {
        using var services = Services();
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT","kid":"key-teams"}""");
        var payload = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new
        {
            iss = "https://api.botframework.com",
            aud = AppId,
            serviceurl = ServiceUrl,
            nbf = Now.AddMinutes(-1).ToUnixTimeSeconds(),
            exp = Now.AddHours(1).ToUnixTimeSeconds(),
        }));
        var result = await Authenticate(services, $"Bearer {header}.{payload}.", Activity());
        AssertFailed(result, BotAuthenticationFailure.DisallowedAlgorithm, services);
    }

    [Fact]
    public async Task Hs256SignedWithThePublicKey_Fails()
    {
        using var services = Services();
        var publicKeyAsSecret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_teamsKey.ExportSubjectPublicKeyInfoPem())) { KeyId = "key-teams" };
        var token = Token(credentials: new SigningCredentials(publicKeyAsSecret, SecurityAlgorithms.HmacSha256));
        var result = await Authenticate(services, "Bearer " + token, Activity());
        AssertFailed(result, BotAuthenticationFailure.DisallowedAlgorithm, services);
    }

    [Fact]
    public async Task SignedByAKeyNotInTheJwks_Fails()
    {
        using var services = Services();
        var token = Token(credentials: new SigningCredentials(new RsaSecurityKey(_rogueKey) { KeyId = "key-rogue" }, SecurityAlgorithms.RsaSha256));
        var result = await Authenticate(services, "Bearer " + token, Activity());
        AssertFailed(result, BotAuthenticationFailure.UnknownSigningKey, services);
    }

    [Fact]
    public async Task SignedByAnotherKeyClaimingAKnownKid_Fails()
    {
        using var services = Services();
        var token = Token(credentials: new SigningCredentials(new RsaSecurityKey(_rogueKey) { KeyId = "key-teams" }, SecurityAlgorithms.RsaSha256));
        var result = await Authenticate(services, "Bearer " + token, Activity());
        AssertFailed(result, BotAuthenticationFailure.InvalidSignature, services);
    }

    [Fact]
    public async Task KeyWithoutTheMsteamsEndorsement_Fails()
    {
        using var services = Services();
        var token = Token(credentials: new SigningCredentials(new RsaSecurityKey(_otherChannelKey) { KeyId = "key-skype" }, SecurityAlgorithms.RsaSha256));
        var result = await Authenticate(services, "Bearer " + token, Activity());
        AssertFailed(result, BotAuthenticationFailure.MissingEndorsement, services);
    }

    [Fact]
    public async Task ServiceUrlClaimMismatch_Fails()
    {
        using var services = Services();
        var result = await Authenticate(services, "Bearer " + Token(), Activity() with { ServiceUrl = "https://attacker.example/teams/" });
        AssertFailed(result, BotAuthenticationFailure.ServiceUrlMismatch, services);
        Assert.False(services.GetRequiredService<TrustedServiceUrls>().IsTrusted("https://attacker.example/teams/"));
    }

    [Fact]
    public async Task MissingServiceUrlClaim_Fails()
    {
        using var services = Services();
        var result = await Authenticate(services, "Bearer " + Token(serviceUrl: null), Activity());
        AssertFailed(result, BotAuthenticationFailure.ServiceUrlMismatch, services);
    }

    [Fact]
    public async Task MissingAuthorizationHeader_Fails()
    {
        using var services = Services();
        var result = await Authenticate(services, null, Activity());
        AssertFailed(result, BotAuthenticationFailure.MissingToken, services);
    }

    [Fact]
    public async Task NonBearerHeader_Fails()
    {
        using var services = Services();
        var result = await Authenticate(services, "Basic dXNlcjpwYXNz", Activity());
        AssertFailed(result, BotAuthenticationFailure.MalformedHeader, services);
    }

    [Fact]
    public async Task GarbageToken_Fails()
    {
        using var services = Services();
        var result = await Authenticate(services, "Bearer not-a-jwt", Activity());
        AssertFailed(result, BotAuthenticationFailure.MalformedToken, services);
    }

    [Fact]
    public async Task MissingHeader_IsAnonymous_WhenEnabledInDevelopment()
    {
        using var services = Services(anonymous: true, environment: "Development");
        var result = await Authenticate(services, null, Activity() with { ServiceUrl = "http://localhost:56150/_connector" });

        Assert.True(result.Succeeded);
        Assert.True(result.IsAnonymous);
        Assert.True(services.GetRequiredService<TrustedServiceUrls>().IsTrusted("http://localhost:56150/_connector"));
    }

    [Fact]
    public async Task AnonymousMode_StillValidatesTokensThatArePresent()
    {
        using var services = Services(anonymous: true, environment: "Development");
        var result = await Authenticate(services, "Bearer " + Token(audience: "another-bot"), Activity());
        AssertFailed(result, BotAuthenticationFailure.InvalidAudience, services);
    }

    [Fact]
    public void AnonymousMode_IsRefusedAtStart_InProduction()
    {
        using var services = Services(anonymous: true, environment: "Production");
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TeamsOptions>>().Value);
        Assert.Contains("Teams:AllowAnonymousInDevelopment", error.Message, StringComparison.Ordinal);
    }

    private static async Task<BotAuthenticationResult> Authenticate(ServiceProvider services, string? header, Activity activity) =>
        await services.GetRequiredService<BotFrameworkAuthenticator>().AuthenticateAsync(header, activity, CancellationToken.None);

    private static void AssertFailed(BotAuthenticationResult result, BotAuthenticationFailure expected, ServiceProvider services)
    {
        Assert.False(result.Succeeded);
        Assert.Equal(expected, result.Failure);
        Assert.False(string.IsNullOrEmpty(result.Reason));
        Assert.False(services.GetRequiredService<TrustedServiceUrls>().IsTrusted(ServiceUrl));
    }

    private ServiceProvider Services(bool anonymous = false, string environment = "Production") =>
        TestHost.Build(
            new Dictionary<string, string?>
            {
                ["Teams:AppId"] = AppId,
                ["Teams:AppPassword"] = "secret",
                ["Teams:OpenIdMetadataUrl"] = _server.BaseUrl + "/v1/.well-known/openidconfiguration",
                ["Teams:AllowAnonymousInDevelopment"] = anonymous ? "true" : "false",
            },
            (s, c) => s.AddTeamsChannel(c),
            _time,
            environment);

    private static Activity Activity() => ActivityJson.Parse(File.ReadAllText(TestPaths.Fixture("teams/invoke-approve.json"))) with { ServiceUrl = ServiceUrl };

    private string Token(
        string issuer = "https://api.botframework.com",
        string audience = AppId,
        string? serviceUrl = ServiceUrl,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? expires = null,
        SigningCredentials? credentials = null)
    {
        var claims = new Dictionary<string, object>();
        if (serviceUrl is not null)
        {
            claims["serviceurl"] = serviceUrl;
        }

        var nbf = notBefore ?? Now.AddMinutes(-1);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = nbf.UtcDateTime,
            IssuedAt = nbf.UtcDateTime,
            Expires = (expires ?? Now.AddHours(1)).UtcDateTime,
            Subject = new ClaimsIdentity(),
            SigningCredentials = credentials ?? new SigningCredentials(new RsaSecurityKey(_teamsKey) { KeyId = "key-teams" }, SecurityAlgorithms.RsaSha256),
        });
    }

    private static JsonObject Jwk(RSA rsa, string kid, params string[] endorsements)
    {
        var parameters = rsa.ExportParameters(false);
        var endorsementArray = new JsonArray();
        foreach (var e in endorsements)
        {
            endorsementArray.Add(e);
        }

        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus!),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent!),
            ["endorsements"] = endorsementArray,
        };
    }
}
