using System.Globalization;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Channels;

/// <summary>Turns prompts, approvals and exceptions into card content (a template from cards/ and its data).</summary>
public sealed class PromptCards(IApprovalStore approvals, IRunEngineStore engine, IPeopleDirectory directory, ActionTokens tokens, TimeProvider clock)
{
    public CardContent? ForPrompt(Prompt prompt)
    {
        if (prompt.ApprovalId is { } approvalId && approvals.Get(approvalId) is { } approval)
        {
            // A prompt shows the approval as it stands now: a reminder for a decided approval shows the decision.
            if (!approval.IsOpen)
            {
                return Decided(approval);
            }

            return prompt.Kind switch
            {
                PromptKind.Reminder => Reminder(approval),
                PromptKind.Escalated => Escalated(approval),
                _ => Request(approval),
            };
        }

        return prompt.ExceptionId is { } exceptionId && engine.GetException(exceptionId) is { } exception ? ForException(exception) : null;
    }

    public CardContent ForApproval(Approval approval) => approval.IsOpen ? Request(approval) : Decided(approval);

    public CardContent ForException(ExceptionRecord e)
    {
        if (e.Status != ExceptionStatus.Open)
        {
            return Notice($"Exception {e.Id} resolved", $"{e.Resolution} by {NameOf(e.ResolvedBy)} at {e.ResolvedAt:u}.");
        }

        var step = engine.GetStep(e.RunId, e.Step);
        return new CardContent("exception", new JsonObject
        {
            ["exceptionId"] = e.Id,
            ["token"] = tokens.Issue("exception:" + e.Id),
            ["runId"] = e.RunId,
            ["workflow"] = e.Workflow,
            ["step"] = e.Step,
            ["kind"] = e.Kind,
            ["attempts"] = step?.Attempts ?? 0,
            ["message"] = e.Error,
            ["fix"] = e.SuggestedFix ?? "Retry the step, skip it with a reason, or cancel the run.",
            ["allowSupplyValue"] = e.MissingValue is not null,
            ["valueLabel"] = e.MissingValue is null ? "Value" : $"Value for {e.MissingValue}",
        });
    }

    public CardContent Notice(string title, string message) => new("notice", new JsonObject { ["title"] = title, ["message"] = message });

    private CardContent Request(Approval a) => new("approval-request", Base(a));

    private CardContent Reminder(Approval a)
    {
        var data = Base(a);
        var opened = a.Stages[a.CurrentStage].OpenedAt ?? a.CreatedAt;
        data["hoursWaiting"] = (int)Math.Max(0, (clock.GetUtcNow().UtcDateTime - opened).TotalHours);
        return new CardContent("reminder", data);
    }

    private CardContent Escalated(Approval a)
    {
        var data = Base(a);
        var stage = a.Stages[a.CurrentStage];
        data["originalApprover"] = string.Join(" or ", stage.OriginalRoles.DefaultIfEmpty("the approvers"));
        data["timeoutHours"] = (int)stage.Due.TotalHours;
        data["escalatedTo"] = string.Join(", ", stage.Approvers.Select(NameOf));
        return new CardContent("escalated", data);
    }

    private CardContent Decided(Approval a)
    {
        var data = Base(a);
        var last = a.Decisions.LastOrDefault();
        data["decision"] = a.Status switch
        {
            ApprovalStatus.Approved or ApprovalStatus.AutoApproved => "approve",
            ApprovalStatus.Rejected => "reject",
            _ => a.Status.ToString().ToLowerInvariant(),
        };
        data["decidedBy"] = last is null ? "policy" : NameOf(last.By) + (last.OnBehalfOf is null ? "" : $" for {NameOf(last.OnBehalfOf)}");
        data["decidedAt"] = (a.DecidedAt ?? last?.At)?.ToString("O", CultureInfo.InvariantCulture);
        data["comment"] = a.Outcome ?? last?.Comment;
        return new CardContent("approval-decided", data);
    }

    private JsonObject Base(Approval a)
    {
        var stage = a.Stages.Count > 0 ? a.Stages[Math.Min(a.CurrentStage, a.Stages.Count - 1)] : null;
        return new JsonObject
        {
            ["approvalId"] = a.Id,
            ["token"] = tokens.Issue("approval:" + a.Id),
            ["title"] = stage is null ? $"{a.DealName}: no approval needed" : $"{stage.Rule}: {a.DealName}",
            ["dealName"] = a.DealName,
            ["companyName"] = a.CompanyName ?? "",
            ["currency"] = a.Policy.Input.GetValueOrDefault("Currency") is { Length: > 0 } currency ? currency : "USD",
            ["amount"] = decimal.TryParse(a.Amount ?? a.Policy.Input.GetValueOrDefault("Amount"), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : 0,
            ["discountPercent"] = decimal.TryParse(a.Policy.Input.GetValueOrDefault("DiscountPercent"), NumberStyles.Number, CultureInfo.InvariantCulture, out var discount) ? discount : 0,
            ["policy"] = string.Join(", ", a.Policy.FiredRules),
            ["requestedBy"] = NameOf(a.RequesterId ?? a.OwnerId ?? a.TriggeredBy ?? "HubSpot"),
            ["requestedAt"] = a.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["dueAt"] = (stage?.DueAt ?? a.CreatedAt).ToString("O", CultureInfo.InvariantCulture),
            ["reason"] = stage is null ? "No policy rule requires an approval." : $"Needs {string.Join(" or ", stage.Roles)} ({stage.Mode.ToString().ToLowerInvariant()}), stage {stage.Index + 1} of {a.Stages.Count}.",
        };
    }

    private string NameOf(string? personId) => personId is null ? "" : directory.Find(personId)?.Name ?? personId;
}
