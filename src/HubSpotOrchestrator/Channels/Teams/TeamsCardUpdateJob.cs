using Hangfire;
using HubSpotOrchestrator.Integrations;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>
/// Replaces a card after an <c>Action.Submit</c> click: Teams shows no card returned in the answer to a submit,
/// the bot must <c>PUT</c> the activity itself (protocols.md §2.7). The arguments are ids only (they are stored in
/// Hangfire and shown on /admin/jobs): the card, with its action token, is rendered from the store when the job runs.
/// </summary>
internal sealed class TeamsCardUpdateJob(
    IConversationReferenceStore references,
    ClickedCards clickedCards,
    TeamsCards teamsCards,
    TeamsConnectorClient connector,
    ILogger<TeamsCardUpdateJob> logger)
{
    /// <param name="message">The clicked message, as <see cref="TeamsMessageRef"/> text (<c>serviceUrl|conversationId|activityId</c>).</param>
    /// <param name="status">What the click did (<see cref="ChatActionResult.Status"/>).</param>
    /// <param name="approvalId">The approval the clicked card was about, if any.</param>
    /// <param name="exceptionId">The exception the clicked card was about, if any.</param>
    /// <param name="actorRef">Who clicked (a directory id, or <c>teams:</c> and their Teams id).</param>
    [AutomaticRetry(Attempts = 5)]
    public async Task UpdateAsync(string message, ChatActionStatus status, string? approvalId, string? exceptionId, string actorRef, CancellationToken ct)
    {
        var target = TeamsMessageRef.TryParse(message) ?? throw new ArgumentException($"'{message}' is not a Teams message reference.", nameof(message));

        // The serviceUrl came from an authenticated activity whose reference was saved; loading it re-trusts the URL after a restart.
        if (references.FindConversation(target.ServiceUrl, target.ConversationId) is null)
        {
            logger.LogWarning("Not updating Teams message {ActivityId}: conversation {ConversationId} is not stored", target.ActivityId, target.ConversationId);
            return;
        }

        var card = teamsCards.Render(clickedCards.Render(status, approvalId, exceptionId, actorRef));
        try
        {
            await connector.UpdateActivityAsync(target.ServiceUrl, target.ConversationId, target.ActivityId, OutgoingActivity.AdaptiveCard(card), ct);
        }
        catch (IntegrationException ex) when (ex.Kind != FailureKind.Transient)
        {
            logger.LogWarning(ex, "Could not replace Teams message {ActivityId} after a card submit", target.ActivityId);
        }
    }
}
