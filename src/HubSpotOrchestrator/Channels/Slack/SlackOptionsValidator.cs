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
            failures.Add("Slack:BotToken and Slack:SigningSecret must be set together (one of them is empty).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
