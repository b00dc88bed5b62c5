using System.Text.Json.Nodes;
using Hangfire;
using HubSpotOrchestrator.Cards;
using HubSpotOrchestrator.Integrations;

namespace HubSpotOrchestrator.Channels.Slack;

/// <summary>
/// The Slack Web API calls that follow an inbound request. They run as Hangfire jobs so the request is acknowledged
/// within Slack's 3 seconds (protocols.md §3.2/§3.4) and a Slack outage only delays the answer.
/// </summary>
public sealed class SlackMessageJob(
    SlackWebApiClient slack, SlackPeople people, BotCommands commands, ClickedCards clickedCards, ICardRenderer renderer, ILogger<SlackMessageJob> logger)
{
    /// <summary>Answers a mention or DM: the bot command's card, in the same channel (in the thread for mentions).</summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task ReplyAsync(string channel, string? threadTs, string slackUserId, string text, CancellationToken ct)
    {
        var person = await people.FindAsync(slackUserId, null, ct);
        var card = commands.Handle(person, text);
        var message = renderer.RenderSlack(card.Template, card.Data);
        await RunAsync("reply in " + channel, () => slack.PostMessageAsync(channel, Text(message), message["blocks"], threadTs, ct));
    }

    /// <summary>
    /// Replaces a clicked message with the card for the click's outcome, rendered now from the store: the arguments
    /// are ids only (they are stored in Hangfire and shown on /admin/jobs; the card carries an action token).
    /// </summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task UpdateAsync(string channel, string ts, ChatActionStatus status, string? approvalId, string? exceptionId, string actorRef, CancellationToken ct)
    {
        var card = clickedCards.Render(status, approvalId, exceptionId, actorRef);
        var message = renderer.RenderSlack(card.Template, card.Data);
        await RunAsync($"update of {channel}|{ts}", () => slack.UpdateMessageAsync(channel, ts, Text(message), message["blocks"], ct));
    }

    internal static string Text(JsonObject message) => CardText.Of(message["text"]) is { Length: > 0 } text ? text : "HubSpot Orchestrator";

    private async Task RunAsync(string what, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (IntegrationException ex) when (ex.Kind == FailureKind.Permanent)
        {
            // e.g. message_not_found, channel_not_found: retrying cannot help.
            logger.LogWarning("Slack {What} dropped: {Message}", what, ex.Message);
        }
    }
}
