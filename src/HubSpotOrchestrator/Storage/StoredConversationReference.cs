using HubSpotOrchestrator.Channels.Teams;
using LiteDB;

namespace HubSpotOrchestrator.Storage;

/// <summary>One stored conversation reference (LiteDB document, collection <c>teams_references</c>).</summary>
internal sealed class StoredConversationReference
{
    /// <summary><c>&lt;aadObjectId or user id&gt;|&lt;conversation id&gt;</c>.</summary>
    public string Id { get; set; } = "";
    public string? PersonId { get; set; }
    public string? UserId { get; set; }
    public string? UserAadObjectId { get; set; }
    public string ServiceUrl { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string? ConversationType { get; set; }
    public string? TenantId { get; set; }
    public string BotId { get; set; } = "";
    public string? BotName { get; set; }
    public string ChannelId { get; set; } = "";
    public DateTime UpdatedAt { get; set; }

    public ConversationReference ToReference() => new(
        ServiceUrl, ConversationId, ConversationType, TenantId, new ChannelAccount { Id = BotId, Name = BotName }, UserId, UserAadObjectId, ChannelId);
}
