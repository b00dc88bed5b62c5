namespace HubSpotOrchestrator.Routing;

/// <summary>The last stage this service saw for a deal, so routing can tell open deals from closed ones.</summary>
public sealed class DealProjection
{
    /// <summary>"{portalId}:{dealId}".</summary>
    public string Id { get; set; } = "";
    public long PortalId { get; set; }
    public string? Stage { get; set; }
    public DateTime StageChangedAt { get; set; }
}
