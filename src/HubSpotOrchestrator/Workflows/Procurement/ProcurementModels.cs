using HubSpotOrchestrator.Approvals;

namespace HubSpotOrchestrator.Workflows.Procurement;

/// <summary>The deal as loaded from HubSpot, checkpointed by the first step.</summary>
public sealed record DealSnapshot(
    string Id, string Name, string? Amount, string? DiscountPercent, string? Stage, string? Pipeline, string? OwnerId,
    string? OwnerName, string? OwnerEmail, string? CompanyName, string? TermMonths, string? NonStandardTerms, string? Currency);

public sealed record ApprovalOutcome(string ApprovalId, ApprovalStatus Status, string? Outcome, IReadOnlyList<string> DecidedBy, DateTime? DecidedAt);
