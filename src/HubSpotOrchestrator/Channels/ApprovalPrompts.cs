using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.People;

namespace HubSpotOrchestrator.Channels;

/// <summary>Turns what happens to approvals into prompts for the people involved (delivered by every enabled channel).</summary>
internal sealed class ApprovalPrompts(PromptDispatcher prompts) : IApprovalListener
{
    public void StageOpened(Approval approval, int stageIndex, bool escalated)
    {
        var stage = approval.Stages[stageIndex];
        foreach (var approver in stage.Approvers)
        {
            prompts.Raise(new Prompt
            {
                Id = $"{approval.Id}:{stageIndex}:{(escalated ? "escalated" : "request")}:{approver}",
                Kind = escalated ? PromptKind.Escalated : PromptKind.ApprovalRequest,
                RecipientId = approver,
                ApprovalId = approval.Id,
                RunId = approval.RunId,
                CorrelationId = approval.CorrelationId,
                Title = $"Approval needed: {approval.DealName}",
                Text = $"{stage.Rule}: {string.Join(" or ", stage.Roles)} approval for {approval.DealName}" + (approval.Amount is null ? "" : $" ({approval.Amount})") + $", due {stage.DueAt:u}.",
            });
        }
    }

    public void ReminderDue(Approval approval, int stageIndex, int reminder, IReadOnlyList<string> approvers)
    {
        var stage = approval.Stages[stageIndex];
        foreach (var approver in approvers)
        {
            prompts.Raise(new Prompt
            {
                Id = $"{approval.Id}:{stageIndex}:reminder{reminder}:{approver}",
                Kind = PromptKind.Reminder,
                RecipientId = approver,
                ApprovalId = approval.Id,
                RunId = approval.RunId,
                CorrelationId = approval.CorrelationId,
                Title = $"Reminder {reminder}: approval needed for {approval.DealName}",
                Text = $"Still waiting for {string.Join(" or ", stage.Roles)}; due {stage.DueAt:u}.",
            });
        }
    }

    public void OutcomeActedOn(Approval approval, string recipientId) =>
        prompts.Raise(new Prompt
        {
            Id = $"{approval.Id}:requester:{recipientId}",
            Kind = PromptKind.RequesterNotice,
            RecipientId = recipientId,
            ApprovalId = approval.Id,
            RunId = approval.RunId,
            CorrelationId = approval.CorrelationId,
            Title = $"{approval.DealName}: {approval.Status}",
            Text = approval.Outcome ?? approval.Status.ToString(),
        });

    public void Closed(Approval approval)
    {
        foreach (var person in approval.Stages.SelectMany(s => s.Approvers).Append(approval.RequesterId).Append(approval.OwnerId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            prompts.Raise(new Prompt
            {
                Id = $"{approval.Id}:decided:{person}",
                Kind = PromptKind.ApprovalDecided,
                RecipientId = person,
                ApprovalId = approval.Id,
                RunId = approval.RunId,
                CorrelationId = approval.CorrelationId,
                Title = $"{approval.DealName}: {approval.Status}",
                Text = approval.Outcome ?? approval.Status.ToString(),
            });
        }
    }
}
