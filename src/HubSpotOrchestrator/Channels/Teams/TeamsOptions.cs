using System.ComponentModel.DataAnnotations;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>Settings of the Teams (Bot Framework) channel, section <c>Teams</c>.</summary>
public sealed class TeamsOptions
{
    public const string SectionName = "Teams";
    public const string DefaultOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string DefaultTokenUrl = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token";

    /// <summary>The bot's Microsoft App ID; inbound tokens must carry it as audience.</summary>
    public string? AppId { get; set; }

    /// <summary>The app's client secret, used for the outbound client-credentials token.</summary>
    public string? AppPassword { get; set; }

    /// <summary>Entra tenant of a single-tenant bot registration; selects the tenant token endpoint when TokenUrl is not set.</summary>
    public string? TenantId { get; set; }

    [Required(ErrorMessage = "Teams:OpenIdMetadataUrl must not be empty.")]
    public string OpenIdMetadataUrl { get; set; } = DefaultOpenIdMetadataUrl;

    /// <summary>Empty means the default: the botframework.com endpoint, or the TenantId endpoint when TenantId is set.</summary>
    public string? TokenUrl { get; set; }

    /// <summary>Accept requests without a token (Agents Playground). Honoured only in the Development environment.</summary>
    public bool AllowAnonymousInDevelopment { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(AppPassword);

    public string EffectiveTokenUrl =>
        !string.IsNullOrWhiteSpace(TokenUrl) ? TokenUrl
        : !string.IsNullOrWhiteSpace(TenantId) ? $"https://login.microsoftonline.com/{Uri.EscapeDataString(TenantId)}/oauth2/v2.0/token"
        : DefaultTokenUrl;
}
