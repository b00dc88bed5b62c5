using HubSpotOrchestrator.People;

namespace HubSpotOrchestrator.Approvals;

/// <summary>A decision the clicker may make now: who acts, on whose behalf, in which slot of the open stage.</summary>
internal sealed record AuthorizedDecision(Person Actor, Person Principal, string Slot);

/// <summary>
/// Authorization at the moment of the decision, against the current directory (not the one the card was sent
/// with): an active person, holding a role of the open stage now (or acting for an absent one who does), not the
/// deal owner or requester, and a slot of the stage still free.
/// </summary>
internal sealed class ApprovalAuthorizer(IPeopleDirectory directory)
{
    /// <summary>The refusal, or null with <paramref name="authorized"/> set.</summary>
    public DecisionOutcome? Authorize(Approval approval, string actorId, DateTime now, out AuthorizedDecision? authorized)
    {
        authorized = null;
        if (!approval.IsOpen)
        {
            var last = approval.Decisions.LastOrDefault();
            return approval.Status is ApprovalStatus.Approved or ApprovalStatus.Rejected && last is not null
                ? new DecisionOutcome(DecisionOutcomeKind.AlreadyDecided, $"Already {approval.Status.ToString().ToLowerInvariant()} by {NameOf(last.By)} at {last.At:u}.", approval)
                : new DecisionOutcome(DecisionOutcomeKind.Closed, $"This approval is {approval.Status.ToString().ToLowerInvariant()}" + (approval.Outcome is null ? "." : $": {approval.Outcome}."), approval);
        }

        var stage = approval.Stages[approval.CurrentStage];
        if (stage.DueAt is { } due && now > due)
        {
            return new DecisionOutcome(DecisionOutcomeKind.Closed, $"This approval stage expired at {due:u}.", approval);
        }

        var actor = directory.Find(actorId);
        if (actor is null || !actor.Active)
        {
            return new DecisionOutcome(DecisionOutcomeKind.NotAllowed, $"'{actorId}' is not an active person in the directory.", approval);
        }

        if (SeparationOfDuties.IsConflicted(approval, actor.Id, out var conflict))
        {
            return new DecisionOutcome(DecisionOutcomeKind.NotAllowed, $"Separation of duties: {actor.Name} {conflict} and cannot approve it.", approval);
        }

        var stageDecisions = approval.Decisions.Where(d => d.Stage == stage.Index).ToList();
        foreach (var candidate in directory.ActingAs(actor, new DateTimeOffset(now, TimeSpan.Zero)))
        {
            if (!candidate.Roles.Any(r => stage.Roles.Contains(r, StringComparer.OrdinalIgnoreCase)) || SeparationOfDuties.IsConflicted(approval, candidate.Id, out _))
            {
                continue;
            }

            var candidateSlot = stage.Mode == ApprovalMode.Any ? "any" : candidate.Id;
            if (stage.Mode == ApprovalMode.All && !stage.Approvers.Contains(candidate.Id, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (stageDecisions.FirstOrDefault(d => d.Slot == candidateSlot) is { } taken)
            {
                if (candidate.Id == actor.Id || stage.Mode == ApprovalMode.Any)
                {
                    return new DecisionOutcome(DecisionOutcomeKind.AlreadyDecided, $"Already decided ({taken.Verb}) by {NameOf(taken.By)} at {taken.At:u}.", approval);
                }

                continue;
            }

            authorized = new AuthorizedDecision(actor, candidate, candidateSlot);
            return null;
        }

        var clicker = actor.Id;
        if (approval.Decisions.LastOrDefault(d => d.By == clicker && d.Stage < stage.Index) is { } earlier)
        {
            // A second click on an earlier stage's card: say what happened rather than "not allowed".
            return new DecisionOutcome(DecisionOutcomeKind.AlreadyDecided,
                $"Already decided ({earlier.Verb}) by {actor.Name} at {earlier.At:u}; the approval now waits for {string.Join(" or ", stage.Roles)}.", approval);
        }

        return new DecisionOutcome(DecisionOutcomeKind.NotAllowed,
            $"{actor.Name} may not decide this stage: it needs {string.Join(" or ", stage.Roles)}" + (stage.Mode == ApprovalMode.All ? $" from {string.Join(", ", stage.Approvers)}" : "") + ".", approval);
    }

    private string NameOf(string personId) => directory.Find(personId)?.Name ?? personId;
}
