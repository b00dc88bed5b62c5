using System.Text.Json.Nodes;
using Hangfire;
using HubSpotOrchestrator.Integrations;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>
/// Replaces a card after an <c>Action.Submit</c> click: Teams shows no card returned in the answer to a submit,
/// the bot must <c>PUT</c> the activity itself (protocols.md §2.7).
/// </summary>
public sealed class TeamsCardUpdateJob(IConversationReferenceStore references, TeamsConnectorClient connector, ILogger<TeamsCardUpdateJob> logger)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task UpdateAsync(string serviceUrl, string conversationId, string activityId, string cardJson, CancellationToken ct)
    {
        // The serviceUrl came from an authenticated activity whose reference was saved; loading it re-trusts the URL after a restart.
        if (references.FindConversation(serviceUrl, conversationId) is null)
        {
            logger.LogWarning("Not updating Teams message {ActivityId}: conversation {ConversationId} is not stored", activityId, conversationId);
            return;
        }

        var card = JsonNode.Parse(cardJson) ?? throw new ArgumentException("The card JSON is the literal null.", nameof(cardJson));
        try
        {
            await connector.UpdateActivityAsync(serviceUrl, conversationId, activityId, OutgoingActivity.AdaptiveCard(card), ct);
        }
        catch (IntegrationException ex) when (ex.Kind != FailureKind.Transient)
        {
            logger.LogWarning(ex, "Could not replace Teams message {ActivityId} after a card submit", activityId);
        }
    }
}
