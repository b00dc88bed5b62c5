using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Integrations.HubSpot;

/// <summary>Rejects inconsistent settings at start; an empty configuration is valid (HubSpot simply is not configured).</summary>
internal sealed class HubSpotCrmOptionsValidator : IValidateOptions<HubSpotCrmOptions>
{
    public ValidateOptionsResult Validate(string? name, HubSpotCrmOptions options)
    {
        var failures = new List<string>();
        CheckUrl(failures, "HubSpot:BaseUrl", options.BaseUrl, options.AllowInsecureHttp);
        if (options.UsesOAuth)
        {
            CheckUrl(failures, "HubSpot:OAuth:TokenUrl", options.OAuth.TokenUrl, options.AllowInsecureHttp);
            var missing = new[]
                {
                    ("HubSpot:OAuth:ClientId", options.OAuth.ClientId),
                    ("HubSpot:OAuth:ClientSecret", options.OAuth.ClientSecret),
                    ("HubSpot:OAuth:RefreshToken", options.OAuth.RefreshToken),
                }
                .Where(s => string.IsNullOrWhiteSpace(s.Item2))
                .Select(s => s.Item1)
                .ToList();
            if (missing.Count > 0)
            {
                failures.Add($"HubSpot OAuth is partly configured: set {string.Join(", ", missing)} (or remove the HubSpot:OAuth:* settings).");
            }

            if (!string.IsNullOrWhiteSpace(options.AccessToken))
            {
                failures.Add("HubSpot:AccessToken and HubSpot:OAuth:* are both set: use either a private app token (HubSpot:AccessToken) or OAuth (HubSpot:OAuth:*), not both; remove one of them.");
            }
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add("HubSpot:RequestTimeout must be greater than zero.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero)
        {
            failures.Add("HubSpot:RetryBaseDelay must not be negative.");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            failures.Add("HubSpot:MaxRetryAfter must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(List<string> failures, string key, Uri? url, bool allowInsecure)
    {
        if (url is null || !url.IsAbsoluteUri)
        {
            failures.Add($"{key} must be an absolute URL.");
        }
        else if (url.Scheme == Uri.UriSchemeHttp && !allowInsecure)
        {
            failures.Add($"{key} must use https (set HubSpot:AllowInsecureHttp=true only for local development).");
        }
        else if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{key} must be an http(s) URL.");
        }
    }
}
