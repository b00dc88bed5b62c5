using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Channels.Slack;

internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var uri))
        {
            failures.Add($"Slack:ApiBaseUrl must be an absolute URL (got '{options.ApiBaseUrl}').");
        }
        else if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        {
            failures.Add($"Slack:ApiBaseUrl must use https (http only for loopback addresses); got '{options.ApiBaseUrl}'.");
        }

        if (string.IsNullOrWhiteSpace(options.BotToken) != string.IsNullOrWhiteSpace(options.SigningSecret))
        {
            var (missing, present) = string.IsNullOrWhiteSpace(options.BotToken)
                ? ("Slack:BotToken", "Slack:SigningSecret")
                : ("Slack:SigningSecret", "Slack:BotToken");
            failures.Add($"{missing} is empty but {present} is set; Slack needs both: set {missing}, or remove {present} to run without Slack.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
