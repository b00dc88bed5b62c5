namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>
/// What the bot must keep to message a user, chat or channel later (protocols.md §2.5). Build it only from an
/// authenticated activity; the store that persists it calls <see cref="TrustedServiceUrls.TrustStoredReference"/> on load.
/// </summary>
public sealed record ConversationReference(
    string ServiceUrl,
    string ConversationId,
    string? ConversationType,
    string? TenantId,
    ChannelAccount Bot,
    string? UserId,
    string? UserAadObjectId,
    string ChannelId)
{
    /// <summary>
    /// The reference of the conversation an activity came from: bot = <c>recipient</c>, user = <c>from</c>.
    /// Throws <see cref="ArgumentException"/> naming the first missing field.
    /// </summary>
    public static ConversationReference FromActivity(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var serviceUrl = Require(activity.ServiceUrl, "serviceUrl", nameof(activity));
        var conversationId = Require(activity.Conversation?.Id, "conversation.id", nameof(activity));
        var botId = Require(activity.Recipient?.Id, "recipient.id", nameof(activity));
        var channelId = Require(activity.ChannelId, "channelId", nameof(activity));

        return new ConversationReference(
            serviceUrl,
            conversationId,
            activity.Conversation!.ConversationType,
            activity.TenantId,
            new ChannelAccount { Id = botId, Name = activity.Recipient!.Name },
            activity.From?.Id,
            activity.From?.AadObjectId,
            channelId);
    }

    private static string Require(string? value, string field, string parameter) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException($"The activity has no {field}; a conversation reference needs it.", parameter)
            : value;
}
