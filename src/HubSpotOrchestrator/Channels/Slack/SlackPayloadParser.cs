using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace HubSpotOrchestrator.Channels.Slack;

/// <summary>Parses verified Slack request bodies. Verify the signature on the raw bytes first.</summary>
public static class SlackPayloadParser
{
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
                if (!root.TryGetProperty("event", out var ev) || ev.ValueKind != JsonValueKind.Object)
                {
                    throw new SlackPayloadException("event_callback has no 'event' object.");
                }

                return new SlackEventCallback(
                    RequiredString(root, "event_id", "event_callback"),
                    OptionalString(root, "team_id"),
                    root.TryGetProperty("event_time", out var time) && time.TryGetInt64(out var t) ? t : null,
                    new SlackEvent(
                        RequiredString(ev, "type", "event"),
                        OptionalString(ev, "subtype"),
                        OptionalString(ev, "channel_type"),
                        OptionalString(ev, "user"),
                        OptionalString(ev, "bot_id"),
                        OptionalString(ev, "text"),
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
        string? Get(string key) => form.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v.ToString()) ? v.ToString() : null;
        return new SlackSlashCommand(
            Get("command") ?? throw new SlackPayloadException("The slash command body has no 'command' field."),
            Get("text") ?? string.Empty,
            Get("user_id") ?? throw new SlackPayloadException("The slash command body has no 'user_id' field."),
            Get("user_name"),
            Get("channel_id"),
            Get("channel_name"),
            Get("team_id"),
            Get("team_domain"),
            Get("response_url"),
            Get("trigger_id"));
    }

    private static SlackBlockActions ParseBlockActions(JsonElement root)
    {
        if (!root.TryGetProperty("user", out var user) || user.ValueKind != JsonValueKind.Object)
        {
            throw new SlackPayloadException("block_actions has no 'user' object.");
        }

        if (!root.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array)
        {
            throw new SlackPayloadException("block_actions has no 'actions' array.");
        }

        var container = root.TryGetProperty("container", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var channelId = Nested(root, "channel", "id") ?? OptionalString(container, "channel_id");
        var messageTs = Nested(root, "message", "ts") ?? OptionalString(container, "message_ts");

        return new SlackBlockActions(
            new SlackUserRef(RequiredString(user, "id", "block_actions user"), OptionalString(user, "username"), OptionalString(user, "team_id")),
            Nested(root, "team", "id") ?? OptionalString(user, "team_id"),
            channelId,
            messageTs,
            OptionalString(root, "response_url"),
            OptionalString(root, "trigger_id"),
            actions.EnumerateArray().Select(a => new SlackAction(
                RequiredString(a, "action_id", "block_actions action"),
                OptionalString(a, "block_id"),
                OptionalString(a, "value"),
                OptionalString(a, "type"),
                OptionalString(a, "action_ts"))).ToList());
    }

    private static JsonDocument ParseJson(string json, string what)
    {
        try
        {
            var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new SlackPayloadException($"The {what} is not a JSON object.");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new SlackPayloadException($"The {what} is not valid JSON: {ex.Message}", ex);
        }
    }

    private static string RequiredString(JsonElement element, string property, string what) =>
        OptionalString(element, property) ?? throw new SlackPayloadException($"The {what} has no '{property}' string.");

    private static string? OptionalString(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string? Nested(JsonElement element, string outer, string inner) =>
        element.TryGetProperty(outer, out var o) ? OptionalString(o, inner) : null;
}
