namespace HubSpotOrchestrator.People;

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
