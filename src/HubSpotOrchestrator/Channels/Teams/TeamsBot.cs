using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hangfire;
using HubSpotOrchestrator.Integrations;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>
/// Handles one authenticated activity from <c>POST /api/messages</c>: installs store the conversation reference and
/// say welcome, messages run bot commands (or a card's <c>Action.Submit</c> fallback), <c>adaptiveCard/action</c>
/// invokes decide and answer with the replaced card. Unknown activity types are acknowledged and ignored.
/// </summary>
internal sealed partial class TeamsBot(
    TeamsPeople people,
    IConversationReferenceStore references,
    ChatActions actions,
    BotCommands commands,
    TeamsCards teamsCards,
    TeamsConnectorClient connector,
    IBackgroundJobClient jobs,
    ILogger<TeamsBot> logger)
{
    public const string AdaptiveCardActionInvoke = "adaptiveCard/action";

    /// <summary>Returns the invoke response for invokes, null for everything else (answered 200 with no body).</summary>
    public async Task<InvokeResponse?> HandleAsync(Activity activity, CancellationToken ct)
    {
        switch (activity.Type)
        {
            case ActivityTypes.Invoke:
                return HandleInvoke(activity);
            case ActivityTypes.Message:
                await HandleMessageAsync(activity, ct);
                return null;
            // An install sends both a conversationUpdate (bot in membersAdded) and an installationUpdate "add"
            // (seen from Teams and the Agents Playground): both store the reference, only the first says welcome.
            case ActivityTypes.ConversationUpdate when activity.MembersAdded?.Any(m => m.Id == activity.Recipient?.Id) == true:
                await HandleInstallAsync(activity, welcome: true, ct);
                return null;
            case ActivityTypes.InstallationUpdate when activity.Action is "add" or "add-upgrade":
                await HandleInstallAsync(activity, welcome: false, ct);
                return null;
            default:
                logger.LogDebug("Ignored Teams activity {ActivityId} of type {ActivityType}", activity.Id, activity.Type);
                return null;
        }
    }

    // Kept to local lookups and one LiteDB write: Teams gives up on an invoke after about 10-15 s (protocols.md §2.6).
    private InvokeResponse HandleInvoke(Activity activity)
    {
        if (!string.Equals(activity.Name, AdaptiveCardActionInvoke, StringComparison.Ordinal))
        {
            return InvokeResponse.Error(400, "NotSupported", $"The bot does not handle invoke '{activity.Name}'.");
        }

        // The Agents Playground sends no trigger and no id (protocols.md §2.9); only verb and data are read.
        var action = Value(activity) is JsonObject value && value["action"] is JsonObject a ? a : null;
        var verb = SafeJson.Text(action, "verb");
        if (string.IsNullOrWhiteSpace(verb))
        {
            return InvokeResponse.Error(400, "BadRequest", "The adaptiveCard/action invoke has no action.verb.");
        }

        var person = people.FindLocal(activity.From);
        var result = actions.Handle(person, TeamsPeople.ActorRef(person, activity.From), verb, action!["data"] as JsonObject, TeamsPromptChannel.ChannelName);
        logger.LogInformation("Teams card action {Verb} by {Actor}: {Status}", verb, TeamsPeople.ActorRef(person, activity.From), result.Status);
        return result.Malformed ? InvokeResponse.Error(400, "BadRequest", result.Message) : InvokeResponse.AdaptiveCard(teamsCards.Render(result.Card));
    }

    private async Task HandleMessageAsync(Activity activity, CancellationToken ct)
    {
        var person = await people.FindAsync(activity, ct);
        references.Save(ConversationReference.FromActivity(activity), person?.Id);

        if (Value(activity) is JsonObject submitted)
        {
            await HandleSubmitAsync(activity, person, submitted, ct);
            return;
        }

        var text = StripMentions(activity);
        await ReplyAsync(activity, teamsCards.Render(commands.Handle(person, text)), ct);
    }

    private async Task HandleSubmitAsync(Activity activity, Person? person, JsonObject data, CancellationToken ct)
    {
        var verb = SafeJson.Text(data, "verb");
        var actorRef = TeamsPeople.ActorRef(person, activity.From);
        var result = string.IsNullOrWhiteSpace(verb)
            ? new ChatActionResult(ChatActionStatus.Invalid, "no verb", new CardContent("notice", new JsonObject { ["title"] = "Unknown action", ["message"] = "This card button carries no verb." }))
            : actions.Handle(person, actorRef, verb, data, TeamsPromptChannel.ChannelName);
        if (result.Malformed)
        {
            // Refused and audited; the endpoint answers 400 (ArgumentException) and no card update carries its ids.
            throw new ArgumentException(result.Message, nameof(activity));
        }

        if (activity.ReplyToId is { Length: > 0 } replyToId)
        {
            // Answer the submit now; the card replacement follows in a job (protocols.md §2.7: no card in the answer to a submit).
            // Ids only: job arguments are stored and shown on /admin/jobs, and the card carries an action token.
            var message = new TeamsMessageRef(activity.ServiceUrl!, activity.Conversation!.Id!, replyToId).ToString();
            var (approvalId, exceptionId) = string.IsNullOrWhiteSpace(verb) ? (null, null) : ClickedCards.Ids(data);
            jobs.Enqueue<TeamsCardUpdateJob>(j => j.UpdateAsync(message, result.Status, approvalId, exceptionId, actorRef, CancellationToken.None));
            logger.LogInformation("Teams card submit {Verb} by {Actor}; card {ActivityId} will be replaced", verb, actorRef, replyToId);
        }
        else
        {
            await ReplyAsync(activity, teamsCards.Render(result.Card), ct);
        }
    }

    private async Task HandleInstallAsync(Activity activity, bool welcome, CancellationToken ct)
    {
        var person = await people.FindAsync(activity, ct);
        references.Save(ConversationReference.FromActivity(activity), person?.Id);
        logger.LogInformation("Teams app installed in conversation {ConversationId} ({ConversationType}) by {Actor}",
            activity.Conversation?.Id, activity.Conversation?.ConversationType, TeamsPeople.ActorRef(person, activity.From));
        if (welcome)
        {
            await ReplyAsync(activity, teamsCards.Render(commands.Welcome(person)), ct);
        }
    }

    private async Task ReplyAsync(Activity activity, JsonObject card, CancellationToken ct)
    {
        try
        {
            // The card alone: the Agents Playground splits text + card into two messages without ids (protocols.md §2.9).
            await connector.SendToConversationAsync(activity.ServiceUrl!, activity.Conversation!.Id!, OutgoingActivity.AdaptiveCard(card), ct);
        }
        catch (IntegrationException ex)
        {
            // The activity was received and acted on; a 5xx would make Teams resend it and run the command twice.
            logger.LogError(ex, "Could not send the reply to Teams conversation {ConversationId}: {Fix}", activity.Conversation?.Id, ex.Fix);
        }
    }

    private static JsonObject? Value(Activity activity) =>
        activity.Value is { ValueKind: JsonValueKind.Object } value ? SafeJson.ParseObject(SafeJson.RawText(value), out _) : null;

    /// <summary>The message text without the bot's @mention (Teams puts <c>&lt;at&gt;Bot&lt;/at&gt;</c> into channel messages).</summary>
    internal static string StripMentions(Activity activity)
    {
        var text = activity.Text ?? "";
        foreach (var entity in activity.Entities ?? [])
        {
            if (Text(entity, "type") == "mention"
                && SafeJson.TryGetProperty(entity, "mentioned", out var mentioned) && Text(mentioned, "id") == activity.Recipient?.Id
                && Text(entity, "text") is { Length: > 0 } m)
            {
                text = text.Replace(m, " ", StringComparison.Ordinal);
            }
        }

        return AtTag().Replace(text, " ").Trim();
    }

    private static string? Text(JsonElement element, string name) =>
        SafeJson.TryGetProperty(element, name, out var value) && SafeJson.TryGetString(value, out var text) ? text : null;

    [GeneratedRegex("<at>[^<]*</at>", RegexOptions.IgnoreCase)]
    private static partial Regex AtTag();
}
