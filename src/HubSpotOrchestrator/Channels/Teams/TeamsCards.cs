using System.Text.Json.Nodes;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Cards;
using HubSpotOrchestrator.People;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>
/// Renders chat-core cards for Teams. An open approval's card carries a Universal Actions <c>refresh</c> for the
/// current stage's approvers (protocols.md §2.6), so they get their own, current view with buttons on display.
/// Only local lookups: this runs inside the invoke answer.
/// </summary>
internal sealed class TeamsCards(ICardRenderer renderer, IApprovalStore approvals, IPeopleDirectory directory)
{
    // Adaptive Cards universal-action-model: refresh.userIds holds at most 5 users.
    private const int MaxRefreshUsers = 5;

    public JsonObject Render(CardContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return renderer.RenderTeams(content.Template, content.Data, RefreshFor(content));
    }

    /// <summary>The Teams user ids (MRIs) of the current stage's approvers of an open approval; empty otherwise.</summary>
    public IReadOnlyList<string> ApproverTeamsIds(Approval approval)
    {
        ArgumentNullException.ThrowIfNull(approval);
        if (!approval.IsOpen || approval.CurrentStage >= approval.Stages.Count)
        {
            return [];
        }

        return approval.Stages[approval.CurrentStage].Approvers
            .Select(directory.Find)
            .Select(p => p?.TeamsUserId)
            .OfType<string>()
            .Where(id => id.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Take(MaxRefreshUsers)
            .ToList();
    }

    private TeamsCardOptions? RefreshFor(CardContent content)
    {
        if (content.Template is not ("approval-request" or "reminder" or "escalated")
            || Text(content.Data, "approvalId") is not { } approvalId
            || approvals.Get(approvalId) is not { } approval)
        {
            return null;
        }

        var users = ApproverTeamsIds(approval);
        if (users.Count == 0)
        {
            return null;
        }

        // The refresh invoke goes through ChatActions like a click, so it carries the same id + server token.
        var data = new JsonObject { ["approvalId"] = approvalId, ["token"] = Text(content.Data, "token") };
        return new TeamsCardOptions(users, ChatActions.RefreshVerb, data);
    }

    private static string? Text(JsonObject data, string name) =>
        data.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
