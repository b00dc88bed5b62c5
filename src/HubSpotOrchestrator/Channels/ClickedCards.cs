using System.Text.Json.Nodes;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Channels;

/// <summary>
/// The card shown in place of a clicked one when a job replaces it (Teams' Action.Submit fallback, Slack's
/// chat.update), rebuilt from ids when the job runs. Job arguments are stored in Hangfire and shown on /admin/jobs,
/// so a job carries the click's status and the approval/exception id, never the card and its action token.
/// </summary>
public sealed class ClickedCards(IApprovalStore approvals, IRunEngineStore engine, PromptCards cards, IAuditLog audit)
{
    private const int RefusalLookback = 50;

    /// <summary>The approval and exception ids a click's data names (unverified: only trusted when the click was not refused).</summary>
    public static (string? ApprovalId, string? ExceptionId) Ids(JsonObject? data) => (SafeJson.Text(data, "approvalId"), SafeJson.Text(data, "exceptionId"));

    /// <summary>
    /// What <see cref="ChatActions"/> showed for a click with <paramref name="status"/>: the approval or exception as it
    /// stands now; or, for a refusal, a notice with the reason that was audited for <paramref name="actorRef"/>.
    /// </summary>
    /// <remarks>
    /// The ids must be the ones <see cref="ChatActions.Handle"/> was given, with the status it answered: only then does a
    /// status other than NotAllowed/TamperedToken mean the click's token held for them (the card rendered here carries
    /// a fresh one). A click that never reached Handle passes no ids.
    /// </remarks>
    public CardContent Render(ChatActionStatus status, string? approvalId, string? exceptionId, string actorRef)
    {
        // A refused click's ids may be forged (tampered token) or not the clicker's to see: never render the subject then.
        if (status is not (ChatActionStatus.NotAllowed or ChatActionStatus.TamperedToken))
        {
            if (approvalId is not null && approvals.Get(approvalId) is { } approval)
            {
                return cards.ForApproval(approval);
            }

            if (approvalId is null && exceptionId is not null && engine.GetException(exceptionId) is { } exception)
            {
                return cards.ForException(exception);
            }
        }

        var subject = approvalId is not null ? "approval:" + approvalId : exceptionId is not null ? "exception:" + exceptionId : "card:unknown";
        var reason = audit.Query(subject, RefusalLookback)
            .FirstOrDefault(e => e.Actor == actorRef && e.Action.EndsWith(".refused", StringComparison.Ordinal))
            ?.Details.GetValueOrDefault("reason");
        return status switch
        {
            ChatActionStatus.TamperedToken => cards.Notice("Action refused", reason ?? "This card's action token is not valid."),
            ChatActionStatus.NotAllowed => cards.Notice("Not allowed", reason ?? "You may not act on this card."),
            _ when approvalId is not null || exceptionId is not null => cards.Notice("Not allowed", reason ?? "What this card is about no longer exists."),
            _ => cards.Notice("Unknown action", reason ?? "This card button carries no action this service can handle."),
        };
    }
}
