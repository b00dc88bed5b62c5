using System.Text.Json;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Channels.Slack;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.Integrations;
using HubSpotOrchestrator.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HubSpotOrchestrator.Tests.Channels.Slack;

public sealed class SlackWebApiClientTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 16, 0, 0, TimeSpan.Zero));
    private LoopbackServer _server = null!;
    private Func<HttpContext, RecordedRequest, Task> _handler = (context, _) => context.Response.WriteAsync("""{"ok":true,"channel":"C0APPROVALS","ts":"1764086400.000100"}""");

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync((context, request) =>
        {
            context.Response.ContentType = "application/json";
            return _handler(context, request);
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PostMessage_SendsJsonWithBearerToken_AndReturnsChannelAndTs()
    {
        using var services = Services();
        var blocks = new JsonArray(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = "*Approval needed*" } });

        var posted = await services.GetRequiredService<SlackWebApiClient>().PostMessageAsync("C0APPROVALS", "Approval needed", blocks, null, CancellationToken.None);

        Assert.Equal(new SlackMessageRef("C0APPROVALS", "1764086400.000100"), posted);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/chat.postMessage", request.Path);
        Assert.Equal("Bearer xoxb-test-token", request.Headers["Authorization"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("C0APPROVALS", body.RootElement.GetProperty("channel").GetString());
        Assert.Equal("Approval needed", body.RootElement.GetProperty("text").GetString());
        Assert.Equal("section", body.RootElement.GetProperty("blocks")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task UpdateMessage_CallsChatUpdate_WithChannelAndTs()
    {
        using var services = Services();
        await services.GetRequiredService<SlackWebApiClient>().UpdateMessageAsync("C0APPROVALS", "1764086400.000100", "Approved by Priya", null, CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/api/chat.update", request.Path);
        Assert.Contains("\"ts\":\"1764086400.000100\"", request.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("invalid_auth", FailureKind.Configuration, "Slack:BotToken")]
    [InlineData("not_authed", FailureKind.Configuration, "Slack:BotToken")]
    [InlineData("missing_scope", FailureKind.Configuration, "chat:write")]
    [InlineData("channel_not_found", FailureKind.Permanent, null)]
    [InlineData("ratelimited", FailureKind.Transient, null)]
    public async Task OkFalse_IsClassifiedByErrorCode(string error, FailureKind kind, string? fixMentions)
    {
        using var services = Services();
        _handler = (context, _) => context.Response.WriteAsync($$"""{"ok":false,"error":"{{error}}","needed":"chat:write","provided":"users:read"}""");

        var exception = await Assert.ThrowsAsync<SlackApiException>(() =>
            services.GetRequiredService<SlackWebApiClient>().PostMessageAsync("C0APPROVALS", "x", null, null, CancellationToken.None));

        Assert.Equal("Slack", exception.System);
        Assert.Equal(error, exception.ErrorCode);
        Assert.Equal(kind, exception.Kind);
        Assert.Contains(error, exception.Message, StringComparison.Ordinal);
        if (fixMentions is not null)
        {
            Assert.Contains(fixMentions, exception.Fix, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TooManyRequests_IsRetried_AfterRetryAfter()
    {
        using var services = Services();
        var attempts = 0;
        _handler = (context, _) =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "2";
                return context.Response.WriteAsync("""{"ok":false,"error":"ratelimited"}""");
            }

            return context.Response.WriteAsync("""{"ok":true,"channel":"C0APPROVALS","ts":"2.0"}""");
        };

        var post = services.GetRequiredService<SlackWebApiClient>().PostMessageAsync("C0APPROVALS", "x", null, null, CancellationToken.None);
        var secondsAdvanced = 0;
        while (!post.IsCompleted && secondsAdvanced < 120)
        {
            await Task.Delay(50);
            if (Volatile.Read(ref attempts) >= 1 && !post.IsCompleted)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                secondsAdvanced++;
            }
        }

        Assert.Equal("2.0", (await post).Ts);
        Assert.Equal(2, attempts);
        Assert.True(secondsAdvanced >= 2, $"retried after {secondsAdvanced} s of clock time; Retry-After said 2");
    }

    [Fact]
    public async Task PostMessage_IsPacedToOnePerSecondPerChannel()
    {
        using var services = Services();
        var client = services.GetRequiredService<SlackWebApiClient>();
        await client.PostMessageAsync("C0APPROVALS", "first", null, null, CancellationToken.None);

        var second = client.PostMessageAsync("C0APPROVALS", "second", null, null, CancellationToken.None);
        Assert.False(second.IsCompleted);
        await client.PostMessageAsync("C0OTHER", "elsewhere", null, null, CancellationToken.None);
        Assert.Equal(2, _server.Requests.Count);

        _time.Advance(TimeSpan.FromSeconds(1));
        await second;
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Users_AreMappedToEmails()
    {
        using var services = Services();
        _handler = (context, request) => context.Response.WriteAsync(request.Path == "/api/users.lookupByEmail" && request.RawTarget.Contains("nobody", StringComparison.Ordinal)
            ? """{"ok":false,"error":"users_not_found"}"""
            : """{"ok":true,"user":{"id":"U2CERLKJA","team_id":"T1DC2JH3J","name":"priya","real_name":"Priya Raman","is_bot":false,"profile":{"email":"priya@contoso.example","real_name":"Priya Raman"}}}""");
        var client = services.GetRequiredService<SlackWebApiClient>();

        var byId = await client.GetUserInfoAsync("U2CERLKJA", CancellationToken.None);
        var byEmail = await client.LookupUserByEmailAsync("priya@contoso.example", CancellationToken.None);
        var nobody = await client.LookupUserByEmailAsync("nobody@contoso.example", CancellationToken.None);

        Assert.Equal("priya@contoso.example", byId.Email);
        Assert.Equal("U2CERLKJA", byEmail!.Id);
        Assert.Null(nobody);
        Assert.Equal("/api/users.info?user=U2CERLKJA", _server.Requests.First().RawTarget);
        Assert.Equal("/api/users.lookupByEmail?email=priya%40contoso.example", _server.Requests.ElementAt(1).RawTarget);
    }

    [Fact]
    public async Task OpenDirectMessage_ReturnsTheDmChannel()
    {
        using var services = Services();
        _handler = (context, _) => context.Response.WriteAsync("""{"ok":true,"channel":{"id":"D0DMPRIYA"}}""");

        var channel = await services.GetRequiredService<SlackWebApiClient>().OpenDirectMessageAsync("U2CERLKJA", CancellationToken.None);

        Assert.Equal("D0DMPRIYA", channel);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/api/conversations.open", request.Path);
        Assert.Contains("\"users\":\"U2CERLKJA\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutABotToken_CallsFailAsConfiguration_WithoutRequests()
    {
        using var services = TestHost.Build(new() { ["Slack:ApiBaseUrl"] = _server.BaseUrl + "/api/" }, (s, c) => s.AddSlackChannel(c), _time);

        var error = await Assert.ThrowsAsync<IntegrationException>(() =>
            services.GetRequiredService<SlackWebApiClient>().PostMessageAsync("C0APPROVALS", "x", null, null, CancellationToken.None));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Equal("Set Slack:BotToken.", error.Fix);
        Assert.Empty(_server.Requests);
    }

    private ServiceProvider Services() => TestHost.Build(
        new()
        {
            ["Slack:BotToken"] = "xoxb-test-token",
            ["Slack:SigningSecret"] = "secret",
            ["Slack:ApiBaseUrl"] = _server.BaseUrl + "/api",
        },
        (s, c) => s.AddSlackChannel(c),
        _time);
}
