using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.Integrations;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Channels.Slack;

/// <summary>
/// The Slack Web API calls the product needs (protocols.md §3.3), with the bot token as Bearer. Honours 429 Retry-After
/// and paces chat.postMessage to one message per second per channel (Slack rate-limit doc: "special" tier).
/// </summary>
public sealed class SlackWebApiClient
{
    internal const string HttpClientName = "Slack.WebApi";
    internal const int MaxAttempts = 4;
    private static readonly TimeSpan MaxInlineWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly SlackOptions _options;
    private readonly Uri _baseUri;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SlackWebApiClient> _logger;
    private readonly KeyedPacer _postPacer;

    internal SlackWebApiClient(IHttpClientFactory httpClientFactory, IOptions<SlackOptions> options, TimeProvider timeProvider, ILogger<SlackWebApiClient> logger)
    {
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        var baseUrl = _options.ApiBaseUrl.EndsWith('/') ? _options.ApiBaseUrl : _options.ApiBaseUrl + "/";
        _baseUri = new Uri(baseUrl, UriKind.Absolute);
        _timeProvider = timeProvider;
        _logger = logger;
        _postPacer = new KeyedPacer(1, TimeSpan.FromSeconds(1), timeProvider);
    }

    /// <summary><c>chat.postMessage</c>. <paramref name="text"/> is also the notification fallback when <paramref name="blocks"/> are sent.</summary>
    public async Task<SlackMessageRef> PostMessageAsync(string channel, string text, JsonNode? blocks, string? threadTs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(text);
        var body = new JsonObject { ["channel"] = channel, ["text"] = text };
        if (blocks is not null)
        {
            body["blocks"] = blocks.DeepClone();
        }

        if (!string.IsNullOrEmpty(threadTs))
        {
            body["thread_ts"] = threadTs;
        }

        await _postPacer.WaitAsync(channel, cancellationToken);
        var root = await CallAsync("chat.postMessage", body, cancellationToken);
        return new SlackMessageRef(ReadString(root, "channel") ?? channel, ReadString(root, "ts") ?? throw Malformed("chat.postMessage", "ts"));
    }

    /// <summary><c>chat.update</c> of a message posted by the bot.</summary>
    public async Task UpdateMessageAsync(string channel, string ts, string text, JsonNode? blocks, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentException.ThrowIfNullOrWhiteSpace(ts);
        ArgumentNullException.ThrowIfNull(text);
        var body = new JsonObject { ["channel"] = channel, ["ts"] = ts, ["text"] = text };
        if (blocks is not null)
        {
            body["blocks"] = blocks.DeepClone();
        }

        await CallAsync("chat.update", body, cancellationToken);
    }

    /// <summary><c>users.info</c>: maps a Slack user id to a profile with email.</summary>
    public async Task<SlackUser> GetUserInfoAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var root = await CallAsync("users.info?user=" + Uri.EscapeDataString(userId), null, cancellationToken);
        return ReadUser(root, "users.info");
    }

    /// <summary><c>users.lookupByEmail</c>; null when Slack answers <c>users_not_found</c>.</summary>
    public async Task<SlackUser?> LookupUserByEmailAsync(string email, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        try
        {
            var root = await CallAsync("users.lookupByEmail?email=" + Uri.EscapeDataString(email), null, cancellationToken);
            return ReadUser(root, "users.lookupByEmail");
        }
        catch (SlackApiException ex) when (ex.ErrorCode == "users_not_found")
        {
            return null;
        }
    }

    /// <summary><c>conversations.open</c>: the DM channel id for a user.</summary>
    public async Task<string> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var root = await CallAsync("conversations.open", new JsonObject { ["users"] = userId }, cancellationToken);
        return root.TryGetProperty("channel", out var channel) && ReadString(channel, "id") is { } id ? id : throw Malformed("conversations.open", "channel.id");
    }

    private async Task<JsonElement> CallAsync(string method, JsonObject? body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(_options.BotToken))
        {
            throw new IntegrationException(SlackErrors.System, FailureKind.Configuration, "The Slack bot token is not configured.", "Set Slack:BotToken.");
        }

        var name = method.Split('?')[0];
        var client = _httpClientFactory.CreateClient(HttpClientName);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, new Uri(_baseUri, method));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.BotToken);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            using var response = await SendAsync(client, request, name, cancellationToken);
            var status = (int)response.StatusCode;
            if (status == 429)
            {
                var wait = Shared.Backoff.Delay(attempt, FirstRetryDelay, MaxInlineWait, Shared.RetryAfter.Read(response.Headers, _timeProvider));
                if (attempt < MaxAttempts && wait <= MaxInlineWait)
                {
                    _logger.LogWarning("Slack {Method} rate limited; retry {Attempt} in {Delay}", name, attempt, wait);
                    await Task.Delay(wait, _timeProvider, cancellationToken);
                    continue;
                }

                throw new IntegrationException(SlackErrors.System, FailureKind.Transient, $"Slack {name} failed: ratelimited", statusCode: status, retryAfter: wait);
            }

            if (status >= 500)
            {
                throw new IntegrationException(SlackErrors.System, FailureKind.Transient, $"Slack {name} answered HTTP {status}.", statusCode: status);
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(text);
                root = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new IntegrationException(SlackErrors.System, FailureKind.Permanent, $"Slack {name} answered HTTP {status} with a body that is not JSON.", statusCode: status, inner: ex);
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
            {
                return root;
            }

            var error = ReadString(root, "error") ?? $"http_{status}";
            throw SlackErrors.FromError(name, error, ReadString(root, "needed"), status);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string method, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new IntegrationException(SlackErrors.System, FailureKind.Transient, $"Slack {method} could not be reached.", inner: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IntegrationException(SlackErrors.System, FailureKind.Transient, $"Slack {method} timed out.", inner: ex);
        }
    }

    private static SlackUser ReadUser(JsonElement root, string method)
    {
        if (!root.TryGetProperty("user", out var user) || user.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(method, "user");
        }

        var profile = user.TryGetProperty("profile", out var p) ? p : default;
        return new SlackUser(
            ReadString(user, "id") ?? throw Malformed(method, "user.id"),
            ReadString(user, "name"),
            ReadString(user, "real_name") ?? ReadString(profile, "real_name"),
            ReadString(profile, "email"),
            ReadString(user, "team_id"),
            user.TryGetProperty("is_bot", out var bot) && bot.ValueKind == JsonValueKind.True,
            user.TryGetProperty("deleted", out var deleted) && deleted.ValueKind == JsonValueKind.True);
    }

    private static string? ReadString(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static IntegrationException Malformed(string method, string field) =>
        new(SlackErrors.System, FailureKind.Permanent, $"Slack {method} answered ok without '{field}'.");
}
