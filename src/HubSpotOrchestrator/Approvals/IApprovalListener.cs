namespace HubSpotOrchestrator.Approvals;

/// <summary>
/// Told what happens to approvals, after the change is stored: channels prompt people, the run engine resumes the
/// waiting run. Approvals depends on neither; they register implementations.
/// </summary>
public interface IApprovalListener
{
    /// <summary>A stage opened (or was escalated): its approvers are to be asked.</summary>
    void StageOpened(Approval approval, int stageIndex, bool escalated) { }

    /// <summary>A reminder is due for these approvers of the open stage.</summary>
    void ReminderDue(Approval approval, int stageIndex, int reminder, IReadOnlyList<string> approvers) { }

    /// <summary>The approval reached an outcome.</summary>
    void Closed(Approval approval) { }

    /// <summary>The workflow finished acting on the outcome: tell whoever requested it (or the deal owner).</summary>
    void OutcomeActedOn(Approval approval, string recipientId) { }
}
