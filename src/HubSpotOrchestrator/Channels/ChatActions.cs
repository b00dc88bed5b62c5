using System.Text.Json.Nodes;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Channels;

/// <summary>What a click did, and the card that should now be shown in place of the clicked one.</summary>
public sealed record ChatActionResult(ChatActionStatus Status, string Message, CardContent Card)
{
    public bool Recorded => Status == ChatActionStatus.Recorded;

    /// <summary>
    /// The click's data itself was malformed (a verb, id or token longer than <see cref="SafeJson.MaxIdLength"/>): refused
    /// and audited like any refusal, and the endpoint answers 400 instead of showing a card.
    /// </summary>
    public bool Malformed { get; init; }
}

public enum ChatActionStatus
{
    Recorded,
    AlreadyDecided,
    NotAllowed,
    TamperedToken,
    NotFound,
    Invalid,
}

/// <summary>
/// The one decision path for every channel: a card click carries an id and a server-issued token; the token is
/// checked, the clicker is authorized now against the directory, and the decision or fix goes through the same
/// services as the API. Every refusal is audited.
/// </summary>
internal sealed class ChatActions(
    ActionTokens tokens,
    IApprovalStore approvals,
    IRunEngineStore engine,
    PromptCards cards,
    IAuditLog audit,
    ApprovalService approvalService,
    RunOperations operations,
    TimeProvider clock)
{
    public const string RefreshVerb = "refreshCard";

    public ChatActionResult Handle(Person? actor, string actorRef, string verb, JsonObject? data, string channel)
    {
        var approvalId = SafeJson.Text(data, "approvalId");
        var exceptionId = SafeJson.Text(data, "exceptionId");
        var token = SafeJson.Text(data, "token");
        var overlong = SafeJson.IdProblem("verb", verb) ?? SafeJson.IdProblem("approvalId", approvalId) ?? SafeJson.IdProblem("exceptionId", exceptionId)
            ?? SafeJson.IdProblem("token", token);
        if (overlong is not null)
        {
            // Bounded before anything is looked up or audited: the audit subject is an indexed key (LiteDB: 1,023 bytes).
            var message = $"The card action is malformed: {overlong}.";
            return Refuse(ChatActionStatus.Invalid, message, null, actorRef, "malformed", channel) with { Malformed = true };
        }

        var subject = approvalId is not null ? "approval:" + approvalId : exceptionId is not null ? "exception:" + exceptionId : null;
        if (subject is null)
        {
            return Refuse(ChatActionStatus.Invalid, "The card action carries no approval or exception id.", null, actorRef, verb, channel);
        }

        if (!tokens.IsValid(subject, token))
        {
            // Card data is attacker-controlled: only the HMAC ties it to an id this service issued.
            return Refuse(ChatActionStatus.TamperedToken, "This card's action token is not valid.", subject, actorRef, verb, channel);
        }

        return approvalId is not null
            ? HandleApproval(actor, actorRef, verb, approvalId, channel)
            : HandleException(actor, actorRef, verb, exceptionId!, data, channel);
    }

    private ChatActionResult HandleApproval(Person? actor, string actorRef, string verb, string approvalId, string channel)
    {
        var approval = approvals.Get(approvalId);
        if (approval is null)
        {
            return Refuse(ChatActionStatus.NotFound, $"Approval {approvalId} does not exist.", "approval:" + approvalId, actorRef, verb, channel);
        }

        if (verb == RefreshVerb)
        {
            return new ChatActionResult(ChatActionStatus.Recorded, "current state", cards.ForApproval(approval));
        }

        if (actor is null)
        {
            return Refuse(ChatActionStatus.NotAllowed, $"{actorRef} is not in the people directory, so cannot decide approvals.", "approval:" + approvalId, actorRef, verb, channel);
        }

        var outcome = approvalService.Decide(approvalId, actor.Id, verb, null, channel);
        var current = outcome.Approval ?? approval;
        return outcome.Kind switch
        {
            DecisionOutcomeKind.Recorded => new ChatActionResult(ChatActionStatus.Recorded, outcome.Message, cards.ForApproval(current)),
            DecisionOutcomeKind.NotAllowed => new ChatActionResult(ChatActionStatus.NotAllowed, outcome.Message, cards.Notice("Not allowed", outcome.Message)),
            DecisionOutcomeKind.Invalid => new ChatActionResult(ChatActionStatus.Invalid, outcome.Message, cards.ForApproval(current)),
            _ => new ChatActionResult(ChatActionStatus.AlreadyDecided, outcome.Message, cards.ForApproval(current)),
        };
    }

    private ChatActionResult HandleException(Person? actor, string actorRef, string verb, string exceptionId, JsonObject? data, string channel)
    {
        var record = engine.GetException(exceptionId);
        if (record is null)
        {
            return Refuse(ChatActionStatus.NotFound, $"Exception {exceptionId} does not exist.", "exception:" + exceptionId, actorRef, verb, channel);
        }

        if (verb == RefreshVerb)
        {
            return new ChatActionResult(ChatActionStatus.Recorded, "current state", cards.ForException(record));
        }

        if (actor is null || !(actor.HasRole("ops") || actor.HasRole("admin")))
        {
            var message = $"{actor?.Name ?? actorRef} may not fix exceptions: it needs the ops or admin role.";
            return Refuse(ChatActionStatus.NotAllowed, message, "exception:" + exceptionId, actorRef, verb, channel, cards.Notice("Not allowed", message));
        }

        var value = SafeJson.Text(data, "suppliedValue");
        var fix = verb == "supplyValue" ? "supply" : verb;
        var reason = fix == "skip" ? (string.IsNullOrWhiteSpace(value) ? $"skipped from {channel} by {actor.Name}" : value) : null;
        var result = operations.Fix(exceptionId, actor.Id, fix, reason, record.MissingValue, value, channel);
        var status = result.Status switch
        {
            OperationStatus.Done => ChatActionStatus.Recorded,
            OperationStatus.NotFound => ChatActionStatus.NotFound,
            OperationStatus.Invalid => ChatActionStatus.Invalid,
            _ => ChatActionStatus.AlreadyDecided,
        };
        return new ChatActionResult(status, result.Message, cards.ForException(engine.GetException(exceptionId)!));
    }

    private ChatActionResult Refuse(ChatActionStatus status, string message, string? subject, string actorRef, string verb, string channel, CardContent? card = null)
    {
        audit.Append(actorRef, "card." + verb + ".refused", subject ?? "card:unknown", status.ToString(), clock.GetUtcNow().UtcDateTime, channel: channel,
            details: new Dictionary<string, string> { ["reason"] = message });
        return new ChatActionResult(status, message, card ?? cards.Notice(status == ChatActionStatus.TamperedToken ? "Action refused" : "Not allowed", message));
    }
}
