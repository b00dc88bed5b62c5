namespace HubSpotOrchestrator.Approvals;

/// <summary>Who may never approve an approval: the deal owner and whoever made the change that requested it.</summary>
internal static class SeparationOfDuties
{
    public static bool IsConflicted(Approval approval, string personId, out string why)
    {
        why = "";
        if (approval.OwnerId is not null && string.Equals(approval.OwnerId, personId, StringComparison.OrdinalIgnoreCase))
        {
            why = "owns the deal";
            return true;
        }

        if (approval.RequesterId is not null && string.Equals(approval.RequesterId, personId, StringComparison.OrdinalIgnoreCase))
        {
            why = "made the change that requested this approval";
            return true;
        }

        return false;
    }
}
