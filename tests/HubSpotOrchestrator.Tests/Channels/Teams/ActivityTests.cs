using System.Text.Json;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HubSpotOrchestrator.Tests.Channels.Teams;

public sealed class ActivityTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestPaths.Fixture("teams"), "*.json"))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void EveryTeamsFixture_ParsesWithTheProtocolFields(string file)
    {
        var activity = ActivityJson.Parse(File.ReadAllText(TestPaths.Fixture("teams/" + file)));

        Assert.Equal("msteams", activity.ChannelId);
        Assert.Equal("https://smba.trafficmanager.net/teams/", activity.ServiceUrl);
        Assert.Equal("29:1user-aad-77", activity.From!.Id);
        Assert.Equal("00000000-0000-0000-0000-000000000077", activity.From.AadObjectId);
        Assert.Equal("28:11111111-2222-3333-4444-555555555555", activity.Recipient!.Id);
        Assert.Equal("personal", activity.Conversation!.ConversationType);
        Assert.Equal("tenant-0001", activity.TenantId);
        Assert.NotNull(activity.Type);
        Assert.NotNull(activity.Id);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 16, 0, 0, TimeSpan.Zero), activity.Timestamp);
    }

    [Fact]
    public void InvokeFixture_CarriesTheActionExecutePayload()
    {
        var activity = ActivityJson.Parse(File.ReadAllText(TestPaths.Fixture("teams/invoke-approve.json")));

        Assert.True(activity.IsInvoke);
        Assert.Equal("adaptiveCard/action", activity.Name);
        Assert.Equal("1764086399999", activity.ReplyToId);
        var action = activity.Value!.Value.GetProperty("action");
        Assert.Equal("approve", action.GetProperty("verb").GetString());
        Assert.Equal("Within budget", action.GetProperty("data").GetProperty("comment").GetString());
    }

    [Fact]
    public void SubmitFallback_IsAMessageWithValueAndReplyToId()
    {
        var activity = ActivityJson.Parse(File.ReadAllText(TestPaths.Fixture("teams/submit-reject-fallback.json")));

        Assert.True(activity.IsMessage);
        Assert.Equal(string.Empty, activity.Text);
        Assert.Equal("reject", activity.Value!.Value.GetProperty("verb").GetString());
        Assert.Equal("1764086399999", activity.ReplyToId);
    }

    [Fact]
    public void TenantId_FallsBackToChannelData()
    {
        var activity = ActivityJson.Parse("""{"type":"message","conversation":{"id":"19:x"},"channelData":{"tenant":{"id":"t-9"}}}""");
        Assert.Equal("t-9", activity.TenantId);
    }

    [Fact]
    public void Parse_RejectsTheNullLiteral()
    {
        Assert.Throws<JsonException>(() => ActivityJson.Parse("null"));
    }

    [Fact]
    public void ConversationReference_IsBuiltFromTheInstallActivity()
    {
        var activity = ActivityJson.Parse(File.ReadAllText(TestPaths.Fixture("teams/conversation-update-install.json")));

        var reference = ConversationReference.FromActivity(activity);

        Assert.Equal(
            new ConversationReference(
                "https://smba.trafficmanager.net/teams/", "a:1Xq-personal-chat", "personal", "tenant-0001",
                new ChannelAccount { Id = "28:11111111-2222-3333-4444-555555555555", Name = "HubSpot Orchestrator" },
                "29:1user-aad-77", "00000000-0000-0000-0000-000000000077", "msteams"),
            reference);
    }

    [Fact]
    public void ConversationReference_NamesTheMissingField()
    {
        var activity = ActivityJson.Parse(File.ReadAllText(TestPaths.Fixture("teams/message-status.json"))) with { Conversation = null };
        var error = Assert.Throws<ArgumentException>(() => ConversationReference.FromActivity(activity));
        Assert.Contains("conversation.id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvokeResponses_HaveTheDocumentedShapes()
    {
        var card = new JsonObject { ["type"] = "AdaptiveCard", ["version"] = "1.5" };

        Assert.Equal(
            """{"statusCode":200,"type":"application/vnd.microsoft.card.adaptive","value":{"type":"AdaptiveCard","version":"1.5"}}""",
            JsonSerializer.Serialize(InvokeResponse.AdaptiveCard(card)));
        Assert.Equal(
            """{"statusCode":200,"type":"application/vnd.microsoft.activity.message","value":"Already decided"}""",
            JsonSerializer.Serialize(InvokeResponse.Message("Already decided")));
        Assert.Equal(
            """{"statusCode":400,"type":"application/vnd.microsoft.error","value":{"code":"BadRequest","message":"Unknown verb"}}""",
            JsonSerializer.Serialize(InvokeResponse.Error(400, "BadRequest", "Unknown verb")));
        Assert.Throws<ArgumentOutOfRangeException>(() => InvokeResponse.Error(200, "x", "y"));
    }

    [Fact]
    public void TeamsSetup_StartsUnconfigured_WithoutSettings()
    {
        using var services = TestHost.Build([], (s, c) => s.AddTeamsChannel(c), new FakeTimeProvider());

        var options = services.GetRequiredService<IOptions<TeamsOptions>>().Value;

        Assert.False(options.IsConfigured);
        Assert.Equal(TeamsOptions.DefaultTokenUrl, options.EffectiveTokenUrl);
        Assert.NotNull(services.GetRequiredService<TeamsConnectorClient>());
        Assert.NotNull(services.GetRequiredService<BotFrameworkAuthenticator>());
    }

    [Fact]
    public void TeamsSetup_RefusesAnAppIdWithoutPassword_NamingBothKeys()
    {
        using var services = TestHost.Build(new() { ["Teams:AppId"] = "x" }, (s, c) => s.AddTeamsChannel(c), new FakeTimeProvider());

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TeamsOptions>>().Value);

        Assert.Contains("Teams:AppPassword", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TeamsOptions_UsesTheTenantTokenEndpoint_ForSingleTenantBots()
    {
        var options = new TeamsOptions { TenantId = "contoso.onmicrosoft.com" };
        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", options.EffectiveTokenUrl);
    }
}
