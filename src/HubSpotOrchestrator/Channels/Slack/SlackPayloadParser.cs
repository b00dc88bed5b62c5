using System.Text.Json;
using HubSpotOrchestrator.Shared;
using Microsoft.AspNetCore.WebUtilities;

namespace HubSpotOrchestrator.Channels.Slack;

/// <summary>
/// Parses verified Slack request bodies. Verify the signature on the raw bytes first. Anything that does not have the
/// documented shape is a <see cref="SlackPayloadException"/> (answered 400): text that cannot be decoded anywhere in the
/// JSON, and ids or values longer than Slack's own limits (ids 255 characters, a button value 2,000, a message 40,000).
/// Fields of another JSON kind than documented are treated as absent.
/// </summary>
public static class SlackPayloadParser
{
    /// <summary>Slack's limit on a button's <c>value</c>.</summary>
    public const int MaxActionValueLength = 2000;

    /// <summary>Slack's limit on a message's <c>text</c> (and far above a slash command's).</summary>
    public const int MaxTextLength = 40_000;

    /// <summary>Slack's limit on the elements of one actions block; a click reports one.</summary>
    public const int MaxActions = 25;

    /// <summary>Longest URL accepted (<c>response_url</c>).</summary>
    public const int MaxUrlLength = 2048;

    public static SlackEventsRequest ParseEvents(string json)
    {
        using var document = ParseJson(json, "Events API body");
        var root = document.RootElement;
        var type = RequiredString(root, "type", "Events API body");
        switch (type)
        {
            case "url_verification":
                return new SlackUrlVerification(RequiredString(root, "challenge", "url_verification"));
            case "event_callback":
                if (!SafeJson.TryGetProperty(root, "event", out var ev) || ev.ValueKind != JsonValueKind.Object)
                {
                    throw new SlackPayloadException("event_callback has no 'event' object.");
                }

                return new SlackEventCallback(
                    RequiredString(root, "event_id", "event_callback"),
                    OptionalString(root, "team_id"),
                    SafeJson.Int64Field(root, "event_time") is { IsOk: true } time ? time.Value : null,
                    new SlackEvent(
                        RequiredString(ev, "type", "event"),
                        OptionalString(ev, "subtype"),
                        OptionalString(ev, "channel_type"),
                        OptionalString(ev, "user"),
                        OptionalString(ev, "bot_id"),
                        OptionalString(ev, "text", MaxTextLength),
                        OptionalString(ev, "channel"),
                        OptionalString(ev, "ts"),
                        OptionalString(ev, "thread_ts")));
            default:
                return new SlackOtherEventsRequest(type);
        }
    }

    /// <param name="formBody">The raw <c>application/x-www-form-urlencoded</c> body with its <c>payload</c> field.</param>
    public static SlackInteraction ParseInteraction(string formBody)
    {
        var form = QueryHelpers.ParseQuery(formBody);
        if (!form.TryGetValue("payload", out var payload) || string.IsNullOrEmpty(payload.ToString()))
        {
            throw new SlackPayloadException("The interactivity body has no 'payload' form field.");
        }

        using var document = ParseJson(payload.ToString(), "interactivity payload");
        var root = document.RootElement.Clone();
        var type = RequiredString(root, "type", "interactivity payload");
        return new SlackInteraction(type, type == "block_actions" ? ParseBlockActions(root) : null, root);
    }

    public static SlackSlashCommand ParseSlashCommand(string formBody)
    {
        var form = QueryHelpers.ParseQuery(formBody);
        string? Get(string key, int maxLength = SafeJson.MaxIdLength) => form.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v.ToString())
            ? Bounded(v.ToString(), key, "slash command body", maxLength)
            : null;
        return new SlackSlashCommand(
            Get("command") ?? throw new SlackPayloadException("The slash command body has no 'command' field."),
            Get("text", MaxTextLength) ?? string.Empty,
            Get("user_id") ?? throw new SlackPayloadException("The slash command body has no 'user_id' field."),
            Get("user_name"),
            Get("channel_id"),
            Get("channel_name"),
            Get("team_id"),
            Get("team_domain"),
            Get("response_url", MaxUrlLength),
            Get("trigger_id"));
    }

    private static SlackBlockActions ParseBlockActions(JsonElement root)
    {
        if (!SafeJson.TryGetProperty(root, "user", out var user) || user.ValueKind != JsonValueKind.Object)
        {
            throw new SlackPayloadException("block_actions has no 'user' object.");
        }

        if (!SafeJson.TryGetProperty(root, "actions", out var actions) || actions.ValueKind != JsonValueKind.Array)
        {
            throw new SlackPayloadException("block_actions has no 'actions' array.");
        }

        if (actions.GetArrayLength() > MaxActions)
        {
            throw new SlackPayloadException($"block_actions has {actions.GetArrayLength()} actions; Slack sends at most {MaxActions}.");
        }

        var container = SafeJson.TryGetProperty(root, "container", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var channelId = Nested(root, "channel", "id") ?? OptionalString(container, "channel_id");
        var messageTs = Nested(root, "message", "ts") ?? OptionalString(container, "message_ts");

        return new SlackBlockActions(
            new SlackUserRef(RequiredString(user, "id", "block_actions user"), OptionalString(user, "username"), OptionalString(user, "team_id")),
            Nested(root, "team", "id") ?? OptionalString(user, "team_id"),
            channelId,
            messageTs,
            OptionalString(root, "response_url", MaxUrlLength),
            OptionalString(root, "trigger_id"),
            actions.EnumerateArray().Select(a => new SlackAction(
                RequiredString(a, "action_id", "block_actions action"),
                OptionalString(a, "block_id"),
                OptionalString(a, "value", MaxActionValueLength),
                OptionalString(a, "type"),
                OptionalString(a, "action_ts"))).ToList());
    }

    private static JsonDocument ParseJson(string json, string what)
    {
        // Syntax, depth and text first: a lone surrogate escape would make GetString (and TryGetProperty) throw later.
        if (SafeJson.Validate(json, subject: $"The {what}") is { } problem)
        {
            throw new SlackPayloadException(problem + ".");
        }

        var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new SlackPayloadException($"The {what} is not a JSON object.");
        }

        return document;
    }

    private static string RequiredString(JsonElement element, string property, string what) =>
        OptionalString(element, property, SafeJson.MaxIdLength, what) ?? throw new SlackPayloadException($"The {what} has no '{property}' string.");

    /// <summary>The string property, or null when absent or of another kind; longer than <paramref name="maxLength"/> is refused.</summary>
    private static string? OptionalString(JsonElement element, string property, int maxLength = SafeJson.MaxIdLength, string? what = null) =>
        SafeJson.TryGetProperty(element, property, out var value) && SafeJson.TryGetString(value, out var text)
            ? Bounded(text, property, what ?? "payload", maxLength)
            : null;

    private static string Bounded(string value, string field, string what, int maxLength) =>
        SafeJson.TextProblem(field, value, maxLength) is { } problem ? throw new SlackPayloadException($"In the {what}, {problem}.") : value;

    private static string? Nested(JsonElement element, string outer, string inner) =>
        SafeJson.TryGetProperty(element, outer, out var o) ? OptionalString(o, inner) : null;
}
