using HubSpotOrchestrator.Integrations;
using HubSpotOrchestrator.People;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>Maps the sender of an activity to a directory person: Entra object id, else Teams user id, else (optionally) the member's email.</summary>
internal sealed class TeamsPeople(IPeopleDirectory directory, TeamsConnectorClient connector, ILogger<TeamsPeople> logger)
{
    /// <summary>Directory lookups only; no network (the invoke path answers from this).</summary>
    public Person? FindLocal(ChannelAccount? from)
    {
        if (from is null)
        {
            return null;
        }

        return (from.AadObjectId is { Length: > 0 } aad ? directory.FindByTeamsAadObjectId(aad) : null)
            ?? (from.Id is { Length: > 0 } id ? directory.FindByTeamsUserId(id) : null);
    }

    /// <summary>
    /// <see cref="FindLocal"/>, then the email from the members API
    /// (<c>GET {serviceUrl}/v3/conversations/{id}/members/{userId}</c>). A failing members call is logged, not thrown:
    /// an unknown sender is answered as unknown.
    /// </summary>
    public async Task<Person?> FindAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (FindLocal(activity.From) is { } person)
        {
            return person;
        }

        if (activity.From?.Id is not { Length: > 0 } userId || activity.Conversation?.Id is not { Length: > 0 } conversationId || activity.ServiceUrl is null)
        {
            return null;
        }

        try
        {
            var member = await connector.GetConversationMemberAsync(activity.ServiceUrl, conversationId, userId, cancellationToken);
            var email = member.Email ?? member.UserPrincipalName;
            return (email is { Length: > 0 } ? directory.FindByEmail(email) : null)
                ?? (member.AadObjectId is { Length: > 0 } aad ? directory.FindByTeamsAadObjectId(aad) : null);
        }
        catch (IntegrationException ex)
        {
            logger.LogWarning(ex, "Could not read Teams member {UserId} of conversation {ConversationId} to match them by email", userId, conversationId);
            return null;
        }
    }

    /// <summary>How audit entries name a Teams user: the person id, else <c>teams:&lt;user id&gt;</c>.</summary>
    public static string ActorRef(Person? person, ChannelAccount? from) => person?.Id ?? "teams:" + (from?.AadObjectId ?? from?.Id ?? "unknown");
}
