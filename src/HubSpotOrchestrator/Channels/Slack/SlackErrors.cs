using HubSpotOrchestrator.Integrations;

namespace HubSpotOrchestrator.Channels.Slack;

/// <summary>A Slack Web API <c>ok:false</c> answer; <see cref="ErrorCode"/> is Slack's <c>error</c> string.</summary>
public sealed class SlackApiException(string errorCode, FailureKind kind, string message, string? fix = null, int? statusCode = null)
    : IntegrationException(SlackErrors.System, kind, message, fix, statusCode)
{
    public string ErrorCode { get; } = errorCode;
}

/// <summary>Turns Slack Web API <c>{"ok":false,"error":"…"}</c> answers into classified failures.</summary>
internal static class SlackErrors
{
    public const string System = "Slack";

    public static SlackApiException FromError(string method, string error, string? neededScope, int statusCode)
    {
        var message = $"Slack {method} failed: {error}";
        return error switch
        {
            "invalid_auth" or "not_authed" or "account_inactive" or "token_revoked" or "token_expired" or "no_permission" =>
                new SlackApiException(error, FailureKind.Configuration, message, "Set Slack:BotToken to the app's current bot token (xoxb-…).", statusCode),
            "missing_scope" =>
                new SlackApiException(error, FailureKind.Configuration, message,
                    $"Add the OAuth scope '{neededScope ?? "(see the Slack app's OAuth page)"}' to the Slack app, reinstall it and update Slack:BotToken.", statusCode),
            "not_in_channel" =>
                new SlackApiException(error, FailureKind.Configuration, message, "Invite the Slack app to the channel (/invite @app).", statusCode),
            "ratelimited" or "rate_limited" or "internal_error" or "fatal_error" or "service_unavailable" or "request_timeout" =>
                new SlackApiException(error, FailureKind.Transient, message, statusCode: statusCode),
            _ => new SlackApiException(error, FailureKind.Permanent, message, statusCode: statusCode),
        };
    }
}
