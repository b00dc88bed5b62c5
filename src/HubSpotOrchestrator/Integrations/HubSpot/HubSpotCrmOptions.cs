using System.ComponentModel.DataAnnotations;

namespace HubSpotOrchestrator.Integrations.HubSpot;

/// <summary>
/// Settings of the HubSpot CRM client, bound from the keys it owns in the "HubSpot" section
/// (the same section also holds the webhook settings, which belong to the Webhooks feature).
/// With neither <see cref="AccessToken"/> nor <see cref="OAuth"/> set the service still starts and every
/// CRM call fails with a Configuration error; no data is ever invented.
/// </summary>
/// <remarks>
/// <para><b>Recognising our own writes.</b> HubSpot reports writes made through an app's token in webhook events and
/// property history with <c>changeSource</c>/<c>sourceId</c> = <c>"app:&lt;appId&gt;"</c>. Set <see cref="AppId"/> to the
/// id of the private or public app whose token this client uses, so the webhook side can tell the
/// orchestrator's own writes apart from people's edits and not react to them (no feedback loops).</para>
/// </remarks>
public sealed class HubSpotCrmOptions
{
    public const string SectionName = "HubSpot";

    /// <summary>HubSpot:BaseUrl. The API root; tests point it at a loopback server.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.hubapi.com");

    /// <summary>HubSpot:AccessToken. A private-app access token, sent as a Bearer token. Secret.</summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// HubSpot:AppId. The app id behind the token; HubSpot stamps writes through it as
    /// <c>changeSource</c>/<c>sourceId</c> "app:&lt;AppId&gt;" in webhooks, which is how our own writes are recognised.
    /// </summary>
    public string? AppId { get; set; }

    /// <summary>HubSpot:OAuth. OAuth with a refresh token, as an alternative to <see cref="AccessToken"/>.</summary>
    public HubSpotOAuthOptions OAuth { get; set; } = new();

    /// <summary>HubSpot:RequestsPer10Seconds. Client-side burst limit shared by all callers: 100 (Free/Starter), 190 (Pro/Enterprise), 250 (limit pack).</summary>
    [Range(1, 10_000)]
    public int RequestsPer10Seconds { get; set; } = 100;

    /// <summary>HubSpot:SearchRequestsPerSecond. The CRM Search API's own limit (4 per second).</summary>
    [Range(1, 1_000)]
    public int SearchRequestsPerSecond { get; set; } = 4;

    /// <summary>HubSpot:RequestTimeout. Timeout of one attempt (time spent waiting for the rate limiter excluded).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>HubSpot:MaxRetries. Retries of 429, 5xx, timeouts and connection failures before giving up (0 = none).</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>HubSpot:RetryBaseDelay. First backoff delay; doubles per retry, with jitter, unless HubSpot sends Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>HubSpot:MaxRetryAfter. A longer Retry-After is not waited out in-process; the call fails Transient with that RetryAfter.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>HubSpot:AllowInsecureHttp. Development only: allows an http:// BaseUrl / TokenUrl.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>HubSpot:DailyBudgetWarningPercent. Log a warning when less than this share of the daily API budget remains.</summary>
    [Range(0, 100)]
    public double DailyBudgetWarningPercent { get; set; } = 10;

    /// <summary>
    /// HubSpot:IdempotencyProperty. Optional custom note/task property (created by you in HubSpot) that stores the
    /// idempotency key; without it the key is a hidden marker in the note or task body.
    /// </summary>
    public string? IdempotencyProperty { get; set; }

    internal bool UsesOAuth => OAuth.IsAnySet;

    internal bool IsConfigured => !string.IsNullOrWhiteSpace(AccessToken) || UsesOAuth;
}

/// <summary>HubSpot:OAuth:*. Refresh-token OAuth; the access token is refreshed before it expires.</summary>
public sealed class HubSpotOAuthOptions
{
    public string? ClientId { get; set; }

    /// <summary>Secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Secret.</summary>
    public string? RefreshToken { get; set; }

    public Uri TokenUrl { get; set; } = new("https://api.hubapi.com/oauth/v1/token");

    internal bool IsAnySet =>
        !string.IsNullOrWhiteSpace(ClientId) || !string.IsNullOrWhiteSpace(ClientSecret) || !string.IsNullOrWhiteSpace(RefreshToken);
}
