using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>Start-up checks that need more than data annotations: URL shapes, paired credentials, the environment.</summary>
internal sealed class TeamsOptionsValidator(IHostEnvironment environment) : IValidateOptions<TeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsOptions options)
    {
        var failures = new List<string>();

        if (options.AllowAnonymousInDevelopment && !environment.IsDevelopment())
        {
            // Bot Framework auth doc: "Implementers should not expose a way to disable validation"; the only exception is local development.
            failures.Add($"Teams:AllowAnonymousInDevelopment=true is refused in the '{environment.EnvironmentName}' environment; it is allowed only in Development. Remove the setting.");
        }

        if (string.IsNullOrWhiteSpace(options.AppId) != string.IsNullOrWhiteSpace(options.AppPassword))
        {
            var (missing, present) = string.IsNullOrWhiteSpace(options.AppId)
                ? ("Teams:AppId", "Teams:AppPassword")
                : ("Teams:AppPassword", "Teams:AppId");
            failures.Add($"{missing} is empty but {present} is set; Teams needs both: set {missing}, or remove {present} to run without Teams.");
        }

        CheckUrl(options.OpenIdMetadataUrl, "Teams:OpenIdMetadataUrl", failures);
        if (!string.IsNullOrWhiteSpace(options.TokenUrl))
        {
            CheckUrl(options.TokenUrl, "Teams:TokenUrl", failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(string? value, string key, List<string> failures)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            failures.Add($"{key} must be an absolute URL (got '{value}').");
        }
        else if (!TrustedServiceUrls.IsHttpsOrLoopback(uri))
        {
            failures.Add($"{key} must use https (plain http is accepted only for loopback addresses); got '{value}'.");
        }
    }
}
