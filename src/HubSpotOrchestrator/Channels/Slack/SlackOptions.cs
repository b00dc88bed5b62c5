namespace HubSpotOrchestrator.Channels.Slack;

/// <summary>Settings of the Slack channel, section <c>Slack</c>.</summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";
    public const string DefaultApiBaseUrl = "https://slack.com/api/";

    /// <summary>The bot user OAuth token (<c>xoxb-…</c>) used for Web API calls.</summary>
    public string? BotToken { get; set; }

    /// <summary>The app's signing secret, used to verify inbound requests.</summary>
    public string? SigningSecret { get; set; }

    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BotToken) && !string.IsNullOrWhiteSpace(SigningSecret);
}
