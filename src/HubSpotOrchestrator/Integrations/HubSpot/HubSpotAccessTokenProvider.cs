using System.Net;
using System.Text.Json;

namespace HubSpotOrchestrator.Integrations.HubSpot;

/// <summary>
/// Supplies the Bearer token: the private-app token as is, or an OAuth access token refreshed from the refresh token
/// shortly before it expires. HubSpot: "401 is not a valid indicator that a new access token must be retrieved";
/// refresh on expires_in instead.
/// </summary>
internal sealed class HubSpotAccessTokenProvider(
    HubSpotCrmOptions options, IHttpClientFactory httpClientFactory, TimeProvider time, ILogger<HubSpotAccessTokenProvider> logger) : IDisposable
{
    internal const string OAuthHttpClientName = "HubSpotOAuth";
    private const string OAuthFix = "Check HubSpot:OAuth:ClientId, HubSpot:OAuth:ClientSecret and HubSpot:OAuth:RefreshToken (reinstall the app to get a new refresh token)";

    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private string? _accessToken;
    private DateTimeOffset _refreshAt = DateTimeOffset.MinValue;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (!options.UsesOAuth)
        {
            return options.AccessToken!;
        }

        if (_accessToken is { } cached && time.GetUtcNow() < _refreshAt)
        {
            return cached;
        }

        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            if (_accessToken is { } fresh && time.GetUtcNow() < _refreshAt)
            {
                return fresh;
            }

            return await RefreshAsync(cancellationToken);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>The DI container that created this singleton disposes it on shutdown.</summary>
    public void Dispose() => _refreshGate.Dispose();

    private async Task<string> RefreshAsync(CancellationToken cancellationToken)
    {
        var oauth = options.OAuth;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = oauth.ClientId!,
            ["client_secret"] = oauth.ClientSecret!,
            ["refresh_token"] = oauth.RefreshToken!,
        });
        var client = httpClientFactory.CreateClient(OAuthHttpClientName);
        var requestedAt = time.GetUtcNow();
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsync(oauth.TokenUrl, form, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new IntegrationException(HubSpotErrors.System, FailureKind.Transient, "HubSpot OAuth token refresh failed: " + ex.Message, inner: ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new IntegrationException(
                    HubSpotErrors.System, FailureKind.Configuration,
                    "HubSpot rejected the OAuth refresh token: " + HubSpotErrors.MessageFrom(body),
                    OAuthFix, (int)response.StatusCode);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new IntegrationException(
                    HubSpotErrors.System, FailureKind.Transient, $"HubSpot OAuth token refresh failed with {(int)response.StatusCode}",
                    statusCode: (int)response.StatusCode, retryAfter: Shared.RetryAfter.Read(response.Headers, time));
            }

            var (token, expiresIn) = ParseToken(body, oauth.TokenUrl);
            _accessToken = token;

            // Refresh when 90 % of the lifetime has passed (at least a minute early) so no request carries an expiring token.
            var margin = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(1).Ticks, expiresIn.Ticks / 10));
            _refreshAt = requestedAt + (expiresIn > margin ? expiresIn - margin : TimeSpan.Zero);
            logger.LogInformation("HubSpot OAuth access token refreshed; valid for {ExpiresInSeconds} s", expiresIn.TotalSeconds);
            return token;
        }
    }

    private static (string Token, TimeSpan ExpiresIn) ParseToken(string body, Uri tokenUrl)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.TryGetProperty("access_token", out var token) && token.ValueKind == JsonValueKind.String
                && root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt64(out var seconds))
            {
                return (token.GetString()!, TimeSpan.FromSeconds(seconds));
            }
        }
        catch (JsonException ex)
        {
            throw new IntegrationException(
                HubSpotErrors.System, FailureKind.Permanent, $"HubSpot returned malformed JSON for POST {tokenUrl.AbsolutePath}: {ex.Message}", inner: ex);
        }

        throw new IntegrationException(
            HubSpotErrors.System, FailureKind.Permanent, $"HubSpot's response to POST {tokenUrl.AbsolutePath} lacks access_token or expires_in");
    }
}
