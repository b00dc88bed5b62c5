using System.Text.Json;

namespace HubSpotOrchestrator.Channels.Slack;

/// <summary>A Slack request body that does not have the documented shape; the message names the missing or bad field.</summary>
public sealed class SlackPayloadException : FormatException
{
    public SlackPayloadException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>A body posted to the Events API request URL (protocols.md §3.4).</summary>
public abstract record SlackEventsRequest(string Type);

/// <summary><c>url_verification</c>: answer 200 with <see cref="Challenge"/>.</summary>
public sealed record SlackUrlVerification(string Challenge) : SlackEventsRequest("url_verification");

/// <summary><c>event_callback</c>; <see cref="EventId"/> is the dedupe key (Slack retries deliveries).</summary>
public sealed record SlackEventCallback(string EventId, string? TeamId, long? EventTime, SlackEvent Event) : SlackEventsRequest("event_callback");

/// <summary>Any other envelope type (e.g. <c>app_rate_limited</c>); acknowledge and ignore.</summary>
public sealed record SlackOtherEventsRequest(string OtherType) : SlackEventsRequest(OtherType);

public enum SlackEventKind
{
    Other,

    /// <summary><c>app_mention</c>: the bot was @-mentioned in a channel.</summary>
    AppMention,

    /// <summary><c>message</c> with <c>channel_type: im</c> (the <c>message.im</c> subscription).</summary>
    DirectMessage,
}

public sealed record SlackEvent(string Type, string? Subtype, string? ChannelType, string? User, string? BotId, string? Text, string? Channel, string? Ts, string? ThreadTs)
{
    public SlackEventKind Kind => Type switch
    {
        "app_mention" => SlackEventKind.AppMention,
        "message" when ChannelType == "im" => SlackEventKind.DirectMessage,
        _ => SlackEventKind.Other,
    };

    /// <summary>Messages posted by bots (ours included) carry <c>bot_id</c> or subtype <c>bot_message</c>; answering them makes loops.</summary>
    public bool IsFromBot => !string.IsNullOrEmpty(BotId) || Subtype == "bot_message";
}

/// <summary>An interactivity payload (<c>payload=</c> form field, protocols.md §3.2).</summary>
public sealed record SlackInteraction(string Type, SlackBlockActions? BlockActions, JsonElement Raw);

public sealed record SlackBlockActions(
    SlackUserRef User,
    string? TeamId,
    string? ChannelId,
    string? MessageTs,
    string? ResponseUrl,
    string? TriggerId,
    IReadOnlyList<SlackAction> Actions);

public sealed record SlackUserRef(string Id, string? Username, string? TeamId);

public sealed record SlackAction(string ActionId, string? BlockId, string? Value, string? Type, string? ActionTs);

/// <summary>A slash command (form-encoded, protocols.md §3.1/§3.4).</summary>
public sealed record SlackSlashCommand(
    string Command,
    string Text,
    string UserId,
    string? UserName,
    string? ChannelId,
    string? ChannelName,
    string? TeamId,
    string? TeamDomain,
    string? ResponseUrl,
    string? TriggerId);
