namespace HubSpotOrchestrator.Audit;

/// <summary>One audit entry. Append-only; <see cref="Hash"/> covers the entry and the previous entry's hash.</summary>
public sealed class AuditEntry
{
    /// <summary>Sequence number, 1-based and contiguous: a deleted entry shows as a gap.</summary>
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string Subject { get; set; } = "";
    public string? Channel { get; set; }
    public string? OnBehalfOf { get; set; }
    public string? CorrelationId { get; set; }
    public string Outcome { get; set; } = "";
    public Dictionary<string, string> Details { get; set; } = [];
    public string PrevHash { get; set; } = "";
    public string Hash { get; set; } = "";
}
