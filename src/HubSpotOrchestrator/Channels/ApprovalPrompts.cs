using HubSpotOrchestrator.Approvals;

namespace HubSpotOrchestrator.Channels;

/// <summary>Turns what happens to approvals into prompts for the people involved (delivered by every enabled channel).</summary>
internal sealed class ApprovalPrompts(PromptDispatcher prompts) : IApprovalListener
{
    public void StageOpened(Approval approval, int stageIndex, bool escalated)
    {
        var stage = approval.Stages[stageIndex];
        foreach (var approver in stage.Approvers)
        {
            Raise(approval, $"{stageIndex}:{(escalated ? "escalated" : "request")}:{approver}", escalated ? PromptKind.Escalated : PromptKind.ApprovalRequest, approver,
                $"Approval needed: {approval.DealName}",
                $"{stage.Rule}: {string.Join(" or ", stage.Roles)} approval for {approval.DealName}" + (approval.Amount is null ? "" : $" ({approval.Amount})") + $", due {stage.DueAt:u}.");
        }
    }

    public void ReminderDue(Approval approval, int stageIndex, int reminder, IReadOnlyList<string> approvers)
    {
        var stage = approval.Stages[stageIndex];
        foreach (var approver in approvers)
        {
            Raise(approval, $"{stageIndex}:reminder{reminder}:{approver}", PromptKind.Reminder, approver,
                $"Reminder {reminder}: approval needed for {approval.DealName}", $"Still waiting for {string.Join(" or ", stage.Roles)}; due {stage.DueAt:u}.");
        }
    }

    public void OutcomeActedOn(Approval approval, string recipientId) =>
        Raise(approval, $"requester:{recipientId}", PromptKind.RequesterNotice, recipientId, $"{approval.DealName}: {approval.Status}", approval.Outcome ?? approval.Status.ToString());

    public void Closed(Approval approval)
    {
        foreach (var person in approval.Stages.SelectMany(s => s.Approvers).Append(approval.RequesterId).Append(approval.OwnerId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            Raise(approval, $"decided:{person}", PromptKind.ApprovalDecided, person, $"{approval.DealName}: {approval.Status}", approval.Outcome ?? approval.Status.ToString());
        }
    }

    /// <summary>Prompt ids are derived from what caused them ("{approval}:{what}"), so a repeated notification raises nothing new.</summary>
    private void Raise(Approval approval, string what, PromptKind kind, string recipientId, string title, string text) =>
        prompts.Raise(new Prompt
        {
            Id = $"{approval.Id}:{what}",
            Kind = kind,
            RecipientId = recipientId,
            ApprovalId = approval.Id,
            RunId = approval.RunId,
            CorrelationId = approval.CorrelationId,
            Title = title,
            Text = text,
        });
}
