namespace HubSpotOrchestrator.Approvals;

/// <summary>What a workflow asks an approval for: the run that waits, the deal, and who must not approve it.</summary>
public sealed record ApprovalRequest(
    string RunId,
    string CorrelationId,
    long PortalId,
    long DealId,
    string? TriggeredBy,
    string DealName,
    string? CompanyName,
    string? Amount,
    string? OwnerPersonId,
    string? RequesterPersonId);
