using HubSpotOrchestrator.Channels.Slack;
using HubSpotOrchestrator.Channels.Teams;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Channels.Console;

/// <summary>
/// The laptop default: a prompt is delivered by being visible in the recipient's console inbox, which reads the
/// approval and exception stores directly, so delivery only records that and tells the operator where to look.
/// </summary>
internal sealed class ConsolePromptChannel(
    IOptionsMonitor<TeamsOptions> teams,
    IOptionsMonitor<SlackOptions> slack,
    IOptionsMonitor<ChannelOptions> channels,
    ILogger<ConsolePromptChannel> logger) : IPromptChannel
{
    public const string ChannelName = "console";
    public const string Reference = "console:" + ConsoleSetup.InboxPath;

    public string Name => ChannelName;

    public bool Enabled => !teams.CurrentValue.IsConfigured && !slack.CurrentValue.IsConfigured;

    public Task<string?> DeliverAsync(Prompt prompt, CancellationToken ct)
    {
        logger.LogInformation(
            "Prompt {PromptId} ({Kind}) for {Recipient} is in the console inbox: {InboxUrl}",
            prompt.Id,
            prompt.Kind,
            prompt.RecipientId ?? "ops and admins",
            channels.CurrentValue.ConsoleBaseUrl.TrimEnd('/') + ConsoleSetup.InboxPath);
        return Task.FromResult<string?>(Reference);
    }
}
