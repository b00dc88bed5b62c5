using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Integrations;
using HubSpotOrchestrator.People;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>
/// Delivers prompts as Adaptive Cards in the recipient's 1:1 chat with the bot (protocols.md §2.5): the stored
/// conversation reference, else a new 1:1 conversation (needs the person's Teams user id and the tenant). When an
/// approval is decided, every earlier Teams message about it is replaced by the decided card first.
/// </summary>
internal sealed class TeamsPromptChannel(
    IOptions<TeamsOptions> options,
    BotFrameworkAuthenticator authenticator,
    IPeopleDirectory directory,
    IConversationReferenceStore references,
    IPromptStore prompts,
    IApprovalStore approvals,
    PromptCards cards,
    TeamsCards teamsCards,
    TeamsConnectorClient connector,
    ILogger<TeamsPromptChannel> logger) : IPromptChannel
{
    public const string ChannelName = "teams";

    public string Name => ChannelName;

    public bool Enabled => options.Value.IsConfigured || authenticator.AnonymousAllowed;

    public async Task<string?> DeliverAsync(Prompt prompt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Kind == PromptKind.ApprovalDecided && prompt.ApprovalId is { } decidedId && approvals.Get(decidedId) is { } decided)
        {
            // Before posting, so a transient failure retries without posting the decided card twice.
            await ReplaceEarlierMessagesAsync(prompt, decided, ct);
        }

        var content = cards.ForPrompt(prompt);
        if (content is null)
        {
            logger.LogInformation("Prompt {PromptId}: its approval or exception no longer exists; nothing to post in Teams", prompt.Id);
            return null;
        }

        var person = prompt.RecipientId is { } recipientId ? directory.Find(recipientId) : null;
        if (person is null)
        {
            logger.LogWarning("Prompt {PromptId}: recipient {Recipient} is not in the directory; not posted in Teams", prompt.Id, prompt.RecipientId);
            return null;
        }

        var reference = references.FindPersonal(person) ?? await CreatePersonalConversationAsync(person, ct);
        if (reference is null)
        {
            return null;
        }

        var activityId = await connector.SendToConversationAsync(reference, OutgoingActivity.AdaptiveCard(teamsCards.Render(content)), ct);
        logger.LogInformation("Prompt {PromptId} posted to {Person} in Teams conversation {ConversationId} as {ActivityId}", prompt.Id, person.Id, reference.ConversationId, activityId);
        return activityId is null ? null : new TeamsMessageRef(reference.ServiceUrl, reference.ConversationId, activityId).ToString();
    }

    private async Task<ConversationReference?> CreatePersonalConversationAsync(Person person, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(person.TeamsUserId))
        {
            logger.LogWarning("{Person} has no stored Teams conversation and no teamsUserId in the directory; cannot message them in Teams", person.Id);
            return null;
        }

        var latest = references.Latest();
        var tenantId = options.Value.TenantId is { Length: > 0 } configured ? configured : latest?.TenantId;
        if (string.IsNullOrWhiteSpace(tenantId))
        {
            throw new IntegrationException("Teams", FailureKind.Configuration,
                $"Cannot open a Teams chat with {person.Id}: the tenant id is unknown.",
                "Set Teams:TenantId, or install the app for any user first so the bot learns the tenant.");
        }

        var serviceUrl = latest?.ServiceUrl ?? TrustedServiceUrls.DefaultTeamsServiceUrl;
        var bot = latest?.Bot ?? new ChannelAccount { Id = "28:" + options.Value.AppId };
        var created = await connector.CreateConversationAsync(serviceUrl, bot, person.TeamsUserId, tenantId, ct);
        if (string.IsNullOrEmpty(created.Id))
        {
            throw new IntegrationException("Teams", FailureKind.Transient, $"Teams created a conversation with {person.Id} but returned no id.");
        }

        var reference = new ConversationReference(serviceUrl, created.Id, "personal", tenantId, bot, person.TeamsUserId, person.TeamsAadObjectId, latest?.ChannelId ?? "msteams");
        references.Save(reference, person.Id);
        logger.LogInformation("Opened a Teams 1:1 conversation {ConversationId} with {Person}", created.Id, person.Id);
        return reference;
    }

    private async Task ReplaceEarlierMessagesAsync(Prompt current, Approval approval, CancellationToken ct)
    {
        var card = OutgoingActivity.AdaptiveCard(teamsCards.Render(cards.ForApproval(approval)));
        var earlier = prompts.ForApproval(approval.Id)
            .Where(p => p.Id != current.Id && p.Kind != PromptKind.ApprovalDecided)
            .SelectMany(p => p.Deliveries)
            .Where(d => d.Channel == ChannelName)
            .Select(d => TeamsMessageRef.TryParse(d.Reference))
            .OfType<TeamsMessageRef>()
            .Distinct();
        foreach (var message in earlier)
        {
            if (references.FindConversation(message.ServiceUrl, message.ConversationId) is null)
            {
                logger.LogWarning("Not updating Teams message {ActivityId}: conversation {ConversationId} is not a stored conversation", message.ActivityId, message.ConversationId);
                continue;
            }

            try
            {
                await connector.UpdateActivityAsync(message.ServiceUrl, message.ConversationId, message.ActivityId, card, ct);
            }
            catch (IntegrationException ex) when (ex.Kind != FailureKind.Transient)
            {
                // A deleted message or an uninstalled app stays that way; the rest still get the decided card.
                logger.LogWarning(ex, "Could not replace Teams message {ActivityId} in {ConversationId} with the decided card", message.ActivityId, message.ConversationId);
            }
        }
    }
}
