using System.Net.Http.Headers;
using HubSpotOrchestrator.Integrations;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>
/// Bot Connector REST calls (protocols.md §2.4) without the SDK. Sends only to serviceUrls in
/// <see cref="TrustedServiceUrls"/> (validated tokens or stored references), since every call carries the bot's token.
/// Retries 429/412/502/504 honouring Retry-After and paces each conversation to 7 operations per second
/// (Teams rate-limit doc: about 7 ops / 1 s per bot per thread).
/// </summary>
public sealed class TeamsConnectorClient
{
    internal const string HttpClientName = "Teams.Connector";
    internal const int MaxAttempts = 5;
    internal static readonly TimeSpan MaxInlineWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly BotTokenProvider _tokens;
    private readonly TrustedServiceUrls _trusted;
    private readonly KeyedPacer _pacer;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TeamsConnectorClient> _logger;
    private readonly bool _sendWithoutToken;

    internal TeamsConnectorClient(
        IHttpClientFactory httpClientFactory,
        BotTokenProvider tokens,
        TrustedServiceUrls trusted,
        IOptions<TeamsOptions> options,
        IHostEnvironment environment,
        TimeProvider timeProvider,
        ILogger<TeamsConnectorClient> logger)
    {
        _httpClientFactory = httpClientFactory;
        _tokens = tokens;
        _trusted = trusted;
        _timeProvider = timeProvider;
        _logger = logger;
        _pacer = new KeyedPacer(7, TimeSpan.FromSeconds(1), timeProvider);

        // Agents Playground (protocols.md §2.9) accepts calls without a token; only then, with no credentials, is none sent.
        _sendWithoutToken = !options.Value.IsConfigured && options.Value.AllowAnonymousInDevelopment && environment.IsDevelopment();
    }

    /// <summary><c>POST {serviceUrl}/v3/conversations/{conversationId}/activities</c>; returns the new activity id (null when the service gives none).</summary>
    public async Task<string?> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken)
    {
        var url = ConversationUrl(serviceUrl, conversationId) + "/activities";
        var response = await SendPacedAsync(serviceUrl, conversationId, HttpMethod.Post, url, WithType(activity), cancellationToken);
        return response?.Id;
    }

    public Task<string?> SendToConversationAsync(ConversationReference reference, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return SendToConversationAsync(reference.ServiceUrl, reference.ConversationId, activity, cancellationToken);
    }

    /// <summary><c>POST {serviceUrl}/v3/conversations/{conversationId}/activities/{replyToId}</c>.</summary>
    public async Task<string?> ReplyToActivityAsync(string serviceUrl, string conversationId, string replyToId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(replyToId);
        var url = ConversationUrl(serviceUrl, conversationId) + "/activities/" + Uri.EscapeDataString(replyToId);
        var response = await SendPacedAsync(serviceUrl, conversationId, HttpMethod.Post, url, WithType(activity) with { ReplyToId = replyToId }, cancellationToken);
        return response?.Id;
    }

    /// <summary><c>PUT {serviceUrl}/v3/conversations/{conversationId}/activities/{activityId}</c>: replaces a sent message, e.g. the final card.</summary>
    public async Task UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(activityId);
        var url = ConversationUrl(serviceUrl, conversationId) + "/activities/" + Uri.EscapeDataString(activityId);
        await SendPacedAsync(serviceUrl, conversationId, HttpMethod.Put, url, WithType(activity) with { Id = activityId }, cancellationToken);
    }

    /// <summary>Creates (or returns the existing) 1:1 conversation with a user: <c>POST {serviceUrl}/v3/conversations</c>. The app must be installed for the user.</summary>
    public async Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ChannelAccount bot, string userId, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bot);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var body = new
        {
            bot = new { id = bot.Id, name = bot.Name },
            members = new[] { new { id = userId } },
            channelData = new { tenant = new { id = tenantId } },
            tenantId,
            isGroup = false,
        };
        return await SendAsync<ConversationResourceResponse>(serviceUrl, HttpMethod.Post, BaseUrl(serviceUrl) + "/v3/conversations", body, cancellationToken)
            ?? new ConversationResourceResponse();
    }

    /// <summary><c>GET {serviceUrl}/v3/conversations/{conversationId}/members/{userId}</c>: the member's email, UPN and Entra object id.</summary>
    public async Task<TeamsMember> GetConversationMemberAsync(string serviceUrl, string conversationId, string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var url = ConversationUrl(serviceUrl, conversationId) + "/members/" + Uri.EscapeDataString(userId);
        return await SendAsync<TeamsMember>(serviceUrl, HttpMethod.Get, url, null, cancellationToken)
            ?? throw new IntegrationException("Teams", FailureKind.Permanent, $"Teams returned no member record for '{userId}'.");
    }

    private async Task<ResourceResponse?> SendPacedAsync(string serviceUrl, string conversationId, HttpMethod method, string url, Activity body, CancellationToken cancellationToken)
    {
        EnsureTrusted(serviceUrl);
        await _pacer.WaitAsync(TrustedServiceUrls.Normalize(serviceUrl) + "|" + conversationId, cancellationToken);
        return await SendAsync<ResourceResponse>(serviceUrl, method, url, body, cancellationToken);
    }

    private async Task<T?> SendAsync<T>(string serviceUrl, HttpMethod method, string url, object? body, CancellationToken cancellationToken)
        where T : class
    {
        EnsureTrusted(serviceUrl);
        var client = _httpClientFactory.CreateClient(HttpClientName);
        var refreshedToken = false;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, url);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType(), options: ActivityJson.Options);
            }

            if (!_sendWithoutToken)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.GetTokenAsync(cancellationToken));
            }

            using var response = await SendOnceAsync(client, request, method, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return await ReadBodyAsync<T>(response, cancellationToken);
            }

            var status = (int)response.StatusCode;
            if (status == 401 && !refreshedToken && !_sendWithoutToken)
            {
                refreshedToken = true;
                _tokens.Invalidate();
                continue;
            }

            var retryAfter = Shared.RetryAfter.Read(response.Headers, _timeProvider);
            if (IsRetryable(status))
            {
                var wait = Shared.Backoff.Delay(attempt, FirstRetryDelay, MaxInlineWait, retryAfter);
                if (attempt < MaxAttempts && wait <= MaxInlineWait)
                {
                    _logger.LogWarning("Teams Connector answered {Status} to {Method}; retry {Attempt} in {Delay}", status, method, attempt, wait);
                    await Task.Delay(wait, _timeProvider, cancellationToken);
                    continue;
                }
            }

            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            throw Classify(status, method, detail, retryAfter);
        }
    }

    private static async Task<HttpResponseMessage> SendOnceAsync(HttpClient client, HttpRequestMessage request, HttpMethod method, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new IntegrationException("Teams", FailureKind.Transient, $"The Teams Connector could not be reached ({method}).", inner: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IntegrationException("Teams", FailureKind.Transient, $"The Teams Connector timed out ({method}).", inner: ex);
        }
    }

    private static async Task<T?> ReadBodyAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<T>(text, ActivityJson.Options);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new IntegrationException("Teams", FailureKind.Permanent, "The Teams Connector answered with a body that is not the expected JSON.", inner: ex);
        }
    }

    // Teams rate-limit doc: retry 429, 412, 502 and 504 with exponential backoff.
    private static bool IsRetryable(int status) => status is 429 or 412 or 502 or 504;

    private static IntegrationException Classify(int status, HttpMethod method, string detail, TimeSpan? retryAfter)
    {
        var message = $"The Teams Connector answered {status} to {method}: {Truncate(detail)}";
        return status switch
        {
            401 => new IntegrationException("Teams", FailureKind.Configuration, message, "Check Teams:AppId and Teams:AppPassword (the Connector refused the bot token).", status),
            403 => new IntegrationException("Teams", FailureKind.Configuration, message, "Install the Teams app for the user, chat or team; a bot can only message where it is installed.", status),
            _ when IsRetryable(status) || status >= 500 => new IntegrationException("Teams", FailureKind.Transient, message, statusCode: status, retryAfter: retryAfter),
            _ => new IntegrationException("Teams", FailureKind.Permanent, message, statusCode: status),
        };
    }

    private void EnsureTrusted(string serviceUrl)
    {
        if (!_trusted.IsTrusted(serviceUrl))
        {
            throw new IntegrationException("Teams", FailureKind.Permanent,
                $"Refusing to call serviceUrl '{serviceUrl}': it did not arrive in a validated token or a stored conversation reference.");
        }
    }

    private static Activity WithType(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.Type is null ? activity with { Type = ActivityTypes.Message } : activity;
    }

    private static string BaseUrl(string serviceUrl) => serviceUrl.TrimEnd('/');

    private static string ConversationUrl(string serviceUrl, string conversationId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        return BaseUrl(serviceUrl) + "/v3/conversations/" + Uri.EscapeDataString(conversationId);
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300];
}
