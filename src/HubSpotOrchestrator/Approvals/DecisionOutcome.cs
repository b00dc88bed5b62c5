namespace HubSpotOrchestrator.Approvals;

public enum DecisionOutcomeKind
{
    Recorded,
    AlreadyDecided,
    NotAllowed,
    Closed,
    NotFound,
    Invalid,
}

/// <summary>What became of one click or API call on an approval, with the approval as it now stands.</summary>
public sealed record DecisionOutcome(DecisionOutcomeKind Kind, string Message, Approval? Approval, ApprovalDecision? Decision = null)
{
    public bool Recorded => Kind == DecisionOutcomeKind.Recorded;
}
