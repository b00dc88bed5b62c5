using System.Text.Json;
using System.Text.Json.Serialization;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>A Bot Framework Activity (protocols.md §2.1): the JSON body Teams posts to /api/messages and the body the bot sends back.</summary>
public sealed record Activity
{
    public string? Type { get; init; }

    public string? Id { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public DateTimeOffset? LocalTimestamp { get; init; }

    public string? Locale { get; init; }

    public string? ServiceUrl { get; init; }

    public string? ChannelId { get; init; }

    public ChannelAccount? From { get; init; }

    public ChannelAccount? Recipient { get; init; }

    public ConversationAccount? Conversation { get; init; }

    public JsonElement? ChannelData { get; init; }

    public string? Text { get; init; }

    public string? TextFormat { get; init; }

    public IReadOnlyList<Attachment>? Attachments { get; init; }

    public IReadOnlyList<JsonElement>? Entities { get; init; }

    public string? ReplyToId { get; init; }

    /// <summary>Invoke payload (<c>adaptiveCard/action</c>) or the merged <c>Action.Submit</c> data.</summary>
    public JsonElement? Value { get; init; }

    /// <summary>The invoke name, e.g. <c>adaptiveCard/action</c>.</summary>
    public string? Name { get; init; }

    public IReadOnlyList<ChannelAccount>? MembersAdded { get; init; }

    public IReadOnlyList<ChannelAccount>? MembersRemoved { get; init; }

    /// <summary><c>installationUpdate</c>: <c>add</c>, <c>remove</c>, <c>add-upgrade</c> or <c>remove-upgrade</c>.</summary>
    public string? Action { get; init; }

    public bool IsInvoke => string.Equals(Type, ActivityTypes.Invoke, StringComparison.Ordinal);

    /// <summary>The first id over <see cref="SafeJson.MaxIdLength"/> UTF-8 bytes (or URL over 2,048 characters) as a problem; null when all fit.</summary>
    public string? OverlongField() =>
        SafeJson.TextProblem("serviceUrl", ServiceUrl, 2048) ?? SafeJson.IdProblem("type", Type) ?? SafeJson.IdProblem("id", Id)
        ?? SafeJson.IdProblem("name", Name) ?? SafeJson.IdProblem("channelId", ChannelId) ?? SafeJson.IdProblem("replyToId", ReplyToId)
        ?? SafeJson.IdProblem("action", Action) ?? SafeJson.IdProblem("locale", Locale) ?? SafeJson.IdProblem("tenant id", TenantId)
        ?? SafeJson.IdProblem("from.id", From?.Id) ?? SafeJson.IdProblem("from.aadObjectId", From?.AadObjectId)
        ?? SafeJson.IdProblem("recipient.id", Recipient?.Id) ?? SafeJson.IdProblem("conversation.id", Conversation?.Id)
        ?? SafeJson.IdProblem("conversation.conversationType", Conversation?.ConversationType);

    public bool IsMessage => string.Equals(Type, ActivityTypes.Message, StringComparison.Ordinal);

    /// <summary>The tenant id, from <c>conversation.tenantId</c> or else <c>channelData.tenant.id</c>.</summary>
    public string? TenantId
    {
        get
        {
            if (!string.IsNullOrEmpty(Conversation?.TenantId))
            {
                return Conversation.TenantId;
            }

            if (ChannelData is { } data && SafeJson.TryGetProperty(data, "tenant", out var tenant)
                && SafeJson.TryGetProperty(tenant, "id", out var id) && SafeJson.TryGetString(id, out var tenantId))
            {
                return tenantId;
            }

            return null;
        }
    }
}

public static class ActivityTypes
{
    public const string Message = "message";
    public const string Invoke = "invoke";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";
    public const string MessageReaction = "messageReaction";
}

/// <summary>A user or bot: <c>from</c>, <c>recipient</c>, members.</summary>
public sealed record ChannelAccount
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    /// <summary>The user's Entra object id.</summary>
    public string? AadObjectId { get; init; }

    public string? Role { get; init; }
}

public sealed record ConversationAccount
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    /// <summary><c>personal</c>, <c>groupChat</c> or <c>channel</c>.</summary>
    public string? ConversationType { get; init; }

    public string? TenantId { get; init; }

    public bool? IsGroup { get; init; }
}

public sealed record Attachment
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    public string? ContentType { get; init; }

    public JsonElement? Content { get; init; }

    public string? ContentUrl { get; init; }

    public string? Name { get; init; }
}

/// <summary>JSON settings for the Bot Framework wire format: camelCase, nulls omitted.</summary>
public static class ActivityJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Parses one activity; bad JSON raises <see cref="JsonException"/> with the position.</summary>
    public static Activity Parse(string json) =>
        JsonSerializer.Deserialize<Activity>(json, Options) ?? throw new JsonException("The activity body is the JSON literal null.");

    public static async Task<Activity> ParseAsync(Stream body, CancellationToken cancellationToken)
    {
        var activity = await JsonSerializer.DeserializeAsync<Activity>(body, Options, cancellationToken);
        return activity ?? throw new JsonException("The activity body is the JSON literal null.");
    }
}
