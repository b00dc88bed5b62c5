using System.Text.Json;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.Integrations;
using HubSpotOrchestrator.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HubSpotOrchestrator.Tests.Channels.Teams;

public sealed class TeamsConnectorClientTests : IAsyncLifetime
{
    private const string ConversationId = "a:1Xq-personal-chat";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 16, 0, 0, TimeSpan.Zero));
    private LoopbackServer _server = null!;
    private int _tokenCalls;
    private int _activityCalls;
    private Func<HttpContext, RecordedRequest, Task>? _connector;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(async (context, request) =>
        {
            context.Response.ContentType = "application/json";
            if (request.Path == "/token")
            {
                var n = Interlocked.Increment(ref _tokenCalls);
                await context.Response.WriteAsync($$"""{"token_type":"Bearer","expires_in":3600,"ext_expires_in":3600,"access_token":"tok-{{n}}"}""");
            }
            else if (_connector is not null)
            {
                await _connector(context, request);
            }
            else
            {
                var n = Interlocked.Increment(ref _activityCalls);
                context.Response.StatusCode = 201;
                await context.Response.WriteAsync($$"""{"id":"act-{{n}}"}""");
            }
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string ServiceUrl => _server.BaseUrl + "/teams/";

    [Fact]
    public async Task ManySends_UseOneCachedToken_UntilShortlyBeforeExpiry()
    {
        using var services = Services();
        var client = services.GetRequiredService<TeamsConnectorClient>();

        for (var i = 0; i < 5; i++)
        {
            await client.SendToConversationAsync(ServiceUrl, ConversationId, OutgoingActivity.Text("hello " + i), CancellationToken.None);
        }

        Assert.Equal(1, _tokenCalls);
        var tokenRequest = _server.Requests.Single(r => r.Path == "/token");
        Assert.Contains("grant_type=client_credentials", tokenRequest.Body, StringComparison.Ordinal);
        Assert.Contains("client_id=bot-app-id", tokenRequest.Body, StringComparison.Ordinal);
        Assert.Contains("scope=https%3A%2F%2Fapi.botframework.com%2F.default", tokenRequest.Body, StringComparison.Ordinal);
        Assert.All(_server.Requests.Where(r => r.Path != "/token"), r => Assert.Equal("Bearer tok-1", r.Headers["Authorization"]));

        _time.Advance(TimeSpan.FromMinutes(56));
        await client.SendToConversationAsync(ServiceUrl, ConversationId, OutgoingActivity.Text("later"), CancellationToken.None);
        Assert.Equal(2, _tokenCalls);
        Assert.Equal("Bearer tok-2", _server.Requests.Last().Headers["Authorization"]);
    }

    [Fact]
    public async Task Send_PostsTheActivityToTheConversation_AndReturnsItsId()
    {
        using var services = Services();
        var card = new JsonObject { ["type"] = "AdaptiveCard", ["version"] = "1.5" };

        var id = await services.GetRequiredService<TeamsConnectorClient>()
            .SendToConversationAsync(ServiceUrl, ConversationId, OutgoingActivity.AdaptiveCard(card), CancellationToken.None);

        Assert.Equal("act-1", id);
        var request = _server.Requests.Last();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/teams/v3/conversations/a%3A1Xq-personal-chat/activities", request.RawTarget);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("message", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body.RootElement.GetProperty("attachments")[0].GetProperty("contentType").GetString());
        Assert.Equal("1.5", body.RootElement.GetProperty("attachments")[0].GetProperty("content").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Update_PutsTheActivityAtItsId()
    {
        using var services = Services();
        _connector = async (context, _) => await context.Response.WriteAsync("""{"id":"1764086399999"}""");

        await services.GetRequiredService<TeamsConnectorClient>().UpdateActivityAsync(
            ServiceUrl, ConversationId, "1764086399999", OutgoingActivity.AdaptiveCard(new JsonObject { ["type"] = "AdaptiveCard" }), CancellationToken.None);

        var request = _server.Requests.Last();
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/teams/v3/conversations/a%3A1Xq-personal-chat/activities/1764086399999", request.RawTarget);
        Assert.Equal("Bearer tok-1", request.Headers["Authorization"]);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("1764086399999", body.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Reply_PostsToTheRepliedActivity_WithReplyToId()
    {
        using var services = Services();
        await services.GetRequiredService<TeamsConnectorClient>()
            .ReplyToActivityAsync(ServiceUrl, ConversationId, "1764086400001", OutgoingActivity.Text("Deal 9002: pending"), CancellationToken.None);

        var request = _server.Requests.Last();
        Assert.Equal("/teams/v3/conversations/a%3A1Xq-personal-chat/activities/1764086400001", request.RawTarget);
        Assert.Contains("\"replyToId\":\"1764086400001\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooManyRequests_IsRetried_AfterRetryAfter()
    {
        using var services = Services();
        var attempts = 0;
        _connector = async (context, _) =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "3";
                return;
            }

            context.Response.StatusCode = 201;
            await context.Response.WriteAsync("""{"id":"act-retried"}""");
        };

        var send = services.GetRequiredService<TeamsConnectorClient>()
            .SendToConversationAsync(ServiceUrl, ConversationId, OutgoingActivity.Text("hi"), CancellationToken.None);
        var secondsAdvanced = 0;
        while (!send.IsCompleted && secondsAdvanced < 120)
        {
            await Task.Delay(50);
            if (Volatile.Read(ref attempts) >= 1 && !send.IsCompleted)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                secondsAdvanced++;
            }
        }

        Assert.Equal("act-retried", await send);
        Assert.Equal(2, attempts);
        Assert.True(secondsAdvanced >= 3, $"retried after {secondsAdvanced} s of clock time; Retry-After said 3");
    }

    [Fact]
    public async Task NonRetryableFailures_AreClassified()
    {
        using var services = Services();
        var client = services.GetRequiredService<TeamsConnectorClient>();
        var status = 403;
        _connector = (context, _) =>
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsync("""{"error":{"code":"BotNotInConversationRoster","message":"The bot is not part of the conversation roster."}}""");
        };

        var forbidden = await Assert.ThrowsAsync<IntegrationException>(() => client.SendToConversationAsync(ServiceUrl, ConversationId, OutgoingActivity.Text("x"), CancellationToken.None));
        Assert.Equal(("Teams", FailureKind.Configuration, 403), (forbidden.System, forbidden.Kind, forbidden.StatusCode));
        Assert.Contains("Install", forbidden.Fix, StringComparison.Ordinal);

        status = 404;
        var missing = await Assert.ThrowsAsync<IntegrationException>(() => client.SendToConversationAsync(ServiceUrl, ConversationId, OutgoingActivity.Text("x"), CancellationToken.None));
        Assert.Equal(FailureKind.Permanent, missing.Kind);
    }

    [Fact]
    public async Task EachConversation_IsPacedToSevenSendsPerSecond()
    {
        using var services = Services();
        var client = services.GetRequiredService<TeamsConnectorClient>();
        for (var i = 0; i < 7; i++)
        {
            await client.SendToConversationAsync(ServiceUrl, ConversationId, OutgoingActivity.Text("m" + i), CancellationToken.None);
        }

        var eighth = client.SendToConversationAsync(ServiceUrl, ConversationId, OutgoingActivity.Text("m7"), CancellationToken.None);
        Assert.False(eighth.IsCompleted);
        Assert.Equal(7, _activityCalls);

        await client.SendToConversationAsync(ServiceUrl, "19:other@thread.tacv2", OutgoingActivity.Text("other"), CancellationToken.None);
        Assert.Equal(8, _activityCalls);
        Assert.False(eighth.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        await eighth;
        Assert.Equal(9, _activityCalls);
    }

    [Fact]
    public async Task UntrustedServiceUrl_IsRefused_WithoutAnyRequest()
    {
        using var services = Services(trust: false);
        var error = await Assert.ThrowsAsync<IntegrationException>(() => services.GetRequiredService<TeamsConnectorClient>()
            .SendToConversationAsync(ServiceUrl, ConversationId, OutgoingActivity.Text("x"), CancellationToken.None));

        Assert.Equal(FailureKind.Permanent, error.Kind);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task GetConversationMember_ReturnsEmailAndIds()
    {
        using var services = Services();
        _connector = (context, _) => context.Response.WriteAsync("""
            {"id":"29:1user-aad-77","name":"Priya Raman","aadObjectId":"00000000-0000-0000-0000-000000000077",
             "email":"priya@contoso.example","userPrincipalName":"priya@contoso.example","givenName":"Priya","surname":"Raman","tenantId":"tenant-0001"}
            """);

        var member = await services.GetRequiredService<TeamsConnectorClient>()
            .GetConversationMemberAsync(ServiceUrl, ConversationId, "29:1user-aad-77", CancellationToken.None);

        Assert.Equal("priya@contoso.example", member.Email);
        Assert.Equal("priya@contoso.example", member.UserPrincipalName);
        Assert.Equal("00000000-0000-0000-0000-000000000077", member.AadObjectId);
        var request = _server.Requests.Last();
        Assert.Equal("GET", request.Method);
        Assert.Equal("/teams/v3/conversations/a%3A1Xq-personal-chat/members/29%3A1user-aad-77", request.RawTarget);
    }

    [Fact]
    public async Task CreateConversation_PostsBotMemberAndTenant()
    {
        using var services = Services();
        _connector = (context, _) => context.Response.WriteAsync("""{"id":"a:new-1on1"}""");

        var created = await services.GetRequiredService<TeamsConnectorClient>().CreateConversationAsync(
            ServiceUrl, new ChannelAccount { Id = "28:bot", Name = "HubSpot Orchestrator" }, "29:1user-aad-77", "tenant-0001", CancellationToken.None);

        Assert.Equal("a:new-1on1", created.Id);
        var request = _server.Requests.Last();
        Assert.Equal("/teams/v3/conversations", request.Path);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("28:bot", body.RootElement.GetProperty("bot").GetProperty("id").GetString());
        Assert.Equal("29:1user-aad-77", body.RootElement.GetProperty("members")[0].GetProperty("id").GetString());
        Assert.Equal("tenant-0001", body.RootElement.GetProperty("channelData").GetProperty("tenant").GetProperty("id").GetString());
        Assert.False(body.RootElement.GetProperty("isGroup").GetBoolean());
    }

    [Fact]
    public async Task RefusedCredentials_AreAConfigurationFailure_NamingTheKeys()
    {
        using var services = Services(tokenUrl: _server.BaseUrl + "/token-refused");
        _connector = (context, _) =>
        {
            context.Response.StatusCode = 401;
            return context.Response.WriteAsync("""{"error":"invalid_client"}""");
        };

        var error = await Assert.ThrowsAsync<IntegrationException>(() => services.GetRequiredService<TeamsConnectorClient>()
            .SendToConversationAsync(ServiceUrl, ConversationId, OutgoingActivity.Text("x"), CancellationToken.None));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("Teams:AppPassword", error.Fix, StringComparison.Ordinal);
    }

    private ServiceProvider Services(bool trust = true, string? tokenUrl = null)
    {
        var services = TestHost.Build(
            new Dictionary<string, string?>
            {
                ["Teams:AppId"] = "bot-app-id",
                ["Teams:AppPassword"] = "bot-secret",
                ["Teams:TokenUrl"] = tokenUrl ?? _server.BaseUrl + "/token",
            },
            (s, c) => s.AddTeamsChannel(c),
            _time);
        if (trust)
        {
            services.GetRequiredService<TrustedServiceUrls>().TrustStoredReference(new ConversationReference(
                ServiceUrl, ConversationId, "personal", "tenant-0001", new ChannelAccount { Id = "28:bot" }, "29:user", null, "msteams"));
        }

        return services;
    }
}
