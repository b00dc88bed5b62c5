using HubSpotOrchestrator.People;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>
/// Conversation references the bot saw (protocols.md §2.5), kept so prompts can be sent proactively. Only references
/// built from authenticated activities (or from conversations the bot created) may be saved; loading one trusts its
/// serviceUrl (<see cref="TrustedServiceUrls.TrustStoredReference"/>).
/// </summary>
public interface IConversationReferenceStore
{
    /// <summary>Inserts or refreshes the reference keyed by user (aadObjectId, else user id) and conversation.</summary>
    void Save(ConversationReference reference, string? personId);

    /// <summary>The newest 1:1 (personal) conversation with <paramref name="person"/>, by person id, Entra object id or Teams user id.</summary>
    ConversationReference? FindPersonal(Person person);

    /// <summary>Any stored reference to this conversation (used before updating a message in it).</summary>
    ConversationReference? FindConversation(string serviceUrl, string conversationId);

    /// <summary>The newest stored reference with a tenant id, to learn the tenant, bot account and serviceUrl for new 1:1 chats.</summary>
    ConversationReference? Latest();
}
