using System.Security.Claims;
using HubSpotOrchestrator.Storage;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HubSpotOrchestrator.Hosting;

public sealed class ApiAuthOptions
{
    public const string Section = "Auth";

    /// <summary>An OIDC authority (e.g. https://login.microsoftonline.com/{tenant}/v2.0). Empty: tokens minted by the <c>token</c> verb.</summary>
    public string? Authority { get; set; }

    public string Audience { get; set; } = "hubspot-orchestrator";

    /// <summary>Issuer of locally minted tokens.</summary>
    public string Issuer { get; set; } = "hubspot-orchestrator";

    /// <summary>Claim that carries roles in tokens from <see cref="Authority"/> (Entra ID uses "roles").</summary>
    public string RoleClaim { get; set; } = "roles";
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Ops = "ops";
    public const string Approver = "approver";
    public const string Viewer = "viewer";
}

public static class Policies
{
    public const string Reader = "reader";
    public const string Operator = "operator";
}

internal static class AuthSetup
{
    public static IServiceCollection AddApiAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiAuthOptions>().Bind(configuration.GetSection(ApiAuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<LocalKeys>();
        services.AddSingleton<TokenIssuer>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<ApiAuthOptions>, TokenIssuer>((jwt, auth, issuer) =>
            {
                jwt.MapInboundClaims = false;
                if (!string.IsNullOrEmpty(auth.Value.Authority))
                {
                    jwt.Authority = auth.Value.Authority;
                    jwt.Audience = auth.Value.Audience;
                    jwt.TokenValidationParameters.RoleClaimType = auth.Value.RoleClaim;
                    jwt.TokenValidationParameters.NameClaimType = "preferred_username";
                }
                else
                {
                    jwt.TokenValidationParameters = issuer.ValidationParameters();
                }
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Reader, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Operator, p => p.RequireRole(Roles.Admin, Roles.Ops));
        return services;
    }
}

/// <summary>Mints and validates the API's own bearer tokens, signed with a key created in the data folder.</summary>
public sealed class TokenIssuer(LocalKeys keys, IOptions<ApiAuthOptions> options, TimeProvider clock)
{
    public const string RoleClaim = "role";

    private SymmetricSecurityKey Key => new(Convert.FromHexString(keys.GetOrCreate(LocalKeys.ApiSigningKey, 32))) { KeyId = "local" };

    public string Mint(string user, IEnumerable<string> roles, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new("sub", user), new("name", user) };
        claims.AddRange(roles.Select(r => new Claim(RoleClaim, r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = options.Value.Issuer,
        ValidAudience = options.Value.Audience,
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RoleClaimType = RoleClaim,
        NameClaimType = "sub",
        ClockSkew = TimeSpan.FromMinutes(1),
    };
}
