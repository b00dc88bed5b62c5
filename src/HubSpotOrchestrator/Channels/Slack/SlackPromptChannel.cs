using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Cards;
using HubSpotOrchestrator.Integrations;
using HubSpotOrchestrator.People;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Channels.Slack;

/// <summary>
/// Delivers prompts as Slack DMs (conversations.open + chat.postMessage) and returns <c>"channel|ts"</c>. A decided
/// approval also replaces every earlier Slack message for it with the current card, so no live buttons remain.
/// </summary>
public sealed class SlackPromptChannel(
    IOptions<SlackOptions> options,
    SlackWebApiClient slack,
    SlackPeople people,
    IPeopleDirectory directory,
    IPromptStore prompts,
    IApprovalStore approvals,
    PromptCards cards,
    ICardRenderer renderer,
    ILogger<SlackPromptChannel> logger) : IPromptChannel
{
    public const string ChannelName = "slack";

    public string Name => ChannelName;

    public bool Enabled => options.Value.IsConfigured;

    public async Task<string?> DeliverAsync(Prompt prompt, CancellationToken ct)
    {
        if (prompt.RecipientId is null || directory.Find(prompt.RecipientId) is not { Active: true } person)
        {
            logger.LogInformation("Prompt {PromptId}: recipient {Recipient} is not an active directory person; nothing sent to Slack", prompt.Id, prompt.RecipientId ?? "(audience)");
            return null;
        }

        if (prompt.Kind == PromptKind.ApprovalDecided && prompt.ApprovalId is { } approvalId)
        {
            // Before posting, so a failed update is retried (the job re-runs until this channel's delivery is recorded).
            await UpdateEarlierMessagesAsync(prompt, approvalId, ct);
        }

        var card = cards.ForPrompt(prompt);
        if (card is null)
        {
            logger.LogInformation("Prompt {PromptId}: its approval or exception no longer exists; nothing sent to Slack", prompt.Id);
            return null;
        }

        var slackUserId = await people.SlackIdOfAsync(person, ct);
        if (slackUserId is null)
        {
            logger.LogWarning("Prompt {PromptId}: {Person} has no slackUserId in the directory and no Slack user has the email on file; not sent to Slack", prompt.Id, person.Id);
            return null;
        }

        var channel = await slack.OpenDirectMessageAsync(slackUserId, ct);
        var message = renderer.RenderSlack(card.Template, card.Data);
        var posted = await slack.PostMessageAsync(channel, SlackMessageJob.Text(message), message["blocks"], null, ct);
        logger.LogInformation("Prompt {PromptId} ({Kind}) sent to {Person} in Slack {Channel}", prompt.Id, prompt.Kind, person.Id, posted.Channel);
        return posted.Channel + "|" + posted.Ts;
    }

    private async Task UpdateEarlierMessagesAsync(Prompt prompt, string approvalId, CancellationToken ct)
    {
        if (approvals.Get(approvalId) is not { } approval)
        {
            return;
        }

        var card = cards.ForApproval(approval);
        var message = renderer.RenderSlack(card.Template, card.Data);
        var references = prompts.ForApproval(approvalId)
            .Where(p => p.Id != prompt.Id)
            .SelectMany(p => p.Deliveries)
            .Where(d => d.Channel == ChannelName && d.Reference is not null)
            .Select(d => d.Reference!)
            .Distinct(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            var parts = reference.Split('|');
            if (parts.Length != 2)
            {
                logger.LogWarning("Slack message reference {Reference} is not 'channel|ts'; skipped", reference);
                continue;
            }

            try
            {
                await slack.UpdateMessageAsync(parts[0], parts[1], SlackMessageJob.Text(message), message["blocks"], ct);
            }
            catch (IntegrationException ex) when (ex.Kind == FailureKind.Permanent)
            {
                logger.LogWarning("Slack message {Reference} for approval {ApprovalId} not updated: {Message}", reference, approvalId, ex.Message);
            }
        }
    }
}
