using System.Net;
using System.Text.Json;
using HubSpotOrchestrator.Integrations;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>
/// The bot's outbound token (protocols.md §2.3): OAuth client credentials against Teams:TokenUrl with scope
/// https://api.botframework.com/.default, cached until five minutes before it expires.
/// </summary>
public sealed class BotTokenProvider : IDisposable
{
    /// <summary>Bot Framework AuthenticationConstants.ToChannelFromBotOAuthScope.</summary>
    public const string Scope = "https://api.botframework.com/.default";

    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly HttpClient _httpClient;
    private readonly TeamsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BotTokenProvider> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _refreshAt;

    internal BotTokenProvider(HttpClient httpClient, IOptions<TeamsOptions> options, TimeProvider timeProvider, ILogger<BotTokenProvider> logger)
    {
        _httpClient = httpClient;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && _timeProvider.GetUtcNow() < _refreshAt)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is { } fresh && _timeProvider.GetUtcNow() < _refreshAt)
            {
                return fresh;
            }

            return await RequestTokenAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops the cached token, e.g. after the Connector answered 401.</summary>
    public void Invalidate() => _token = null;

    /// <summary>The DI container that created this singleton disposes it on shutdown.</summary>
    public void Dispose() => _gate.Dispose();

    private async Task<string> RequestTokenAsync(CancellationToken cancellationToken)
    {
        if (!_options.IsConfigured)
        {
            throw new IntegrationException("Teams", FailureKind.Configuration, "The Teams bot has no credentials.", "Set Teams:AppId and Teams:AppPassword.");
        }

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = _options.AppId!,
            ["client_secret"] = _options.AppPassword!,
            ["scope"] = Scope,
        });

        HttpResponseMessage response;
        try
        {
            response = await _httpClient.PostAsync(new Uri(_options.EffectiveTokenUrl, UriKind.RelativeOrAbsolute), form, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new IntegrationException("Teams", FailureKind.Transient, "The Teams token endpoint could not be reached.", inner: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IntegrationException("Teams", FailureKind.Transient, "The Teams token endpoint timed out.", inner: ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw Classify(response.StatusCode, body);
            }

            var (token, expiresIn) = ParseToken(body);
            var now = _timeProvider.GetUtcNow();
            var lifetime = TimeSpan.FromSeconds(expiresIn);
            _refreshAt = now + (lifetime > RefreshMargin * 2 ? lifetime - RefreshMargin : lifetime / 2);
            _token = token;
            _logger.LogInformation("Obtained a Bot Framework token valid for {ExpiresInSeconds} s", expiresIn);
            return token;
        }
    }

    private static (string Token, int ExpiresIn) ParseToken(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var token = root.GetProperty("access_token").GetString();
            var expiresIn = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 3600;
            if (string.IsNullOrEmpty(token))
            {
                throw new JsonException("access_token is empty");
            }

            return (token, expiresIn);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new IntegrationException("Teams", FailureKind.Transient, "The Teams token endpoint answered without a usable access_token.", inner: ex);
        }
    }

    private static IntegrationException Classify(HttpStatusCode status, string body)
    {
        var code = (int)status;
        var error = TryReadError(body);
        if (status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // AADSTS errors such as invalid_client / unauthorized_client mean the registration or secret is wrong.
            return new IntegrationException("Teams", FailureKind.Configuration, $"The Teams token request was refused ({code} {error}).",
                "Check Teams:AppId, Teams:AppPassword (client secret, not expired) and Teams:TenantId / Teams:TokenUrl for single-tenant bots.", code);
        }

        var kind = code == 429 || code >= 500 ? FailureKind.Transient : FailureKind.Permanent;
        return new IntegrationException("Teams", kind, $"The Teams token request failed ({code} {error}).", statusCode: code);
    }

    private static string TryReadError(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }
}
