using HubSpotOrchestrator.Shared;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.People;

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
