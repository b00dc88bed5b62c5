using System.Security.Claims;
using HubSpotOrchestrator.Shared;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HubSpotOrchestrator.People;

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
