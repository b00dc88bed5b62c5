using System.ComponentModel.DataAnnotations;

namespace HubSpotOrchestrator.Webhooks;

/// <summary>Signature settings for requests from HubSpot (section "HubSpot").</summary>
public sealed class HubSpotWebhookOptions
{
    public const string Section = "HubSpot";

    /// <summary>The app's client secret; signs v1/v2/v3. Empty: a local secret is generated for <c>simulate</c>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The previous client secret, accepted too while a rotation is under way.</summary>
    public string? PreviousClientSecret { get; set; }

    /// <summary>
    /// The public base URL HubSpot calls (e.g. https://hso.example.com) when the service runs behind a proxy;
    /// v3 signatures cover the full URL, so it must be what HubSpot used, not what Kestrel saw.
    /// </summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Accept v1/v2 signatures (no timestamp, so no replay protection). Off by default.</summary>
    public bool AllowLegacySignatures { get; set; }

    /// <summary>For workflow "Send a webhook" actions authenticated by an API key instead of a signature.</summary>
    public string? WorkflowApiKey { get; set; }

    [Required(AllowEmptyStrings = false)]
    public string WorkflowApiKeyHeader { get; set; } = "X-HSO-Api-Key";
}

/// <summary>Inbox and dispatch settings (section "Webhooks").</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>An event still undispatched after this long is dispatched again by the sweeper.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RedispatchAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A dispatched event not routed after this long is dispatched again (its job was lost or keeps failing); the wait
    /// doubles with each re-dispatch of the same request, up to 32 times this. Safe to keep short: routing skips routed
    /// events and derives run ids from the event, so a second routing job creates nothing twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the inbox sweeper looks for requests left behind (it also runs once at start).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most event ids one routing job takes.</summary>
    [Range(1, 5000)]
    public int MaxEventsPerJob { get; set; } = 500;
}
