using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Channels.Slack;
using HubSpotOrchestrator.Testing;

namespace HubSpotOrchestrator.Tests.Channels.Slack;

public sealed class SlackPayloadParserTests
{
    [Fact]
    public void UrlVerificationFixture_YieldsTheChallenge()
    {
        var request = SlackPayloadParser.ParseEvents(File.ReadAllText(TestPaths.Fixture("slack/url-verification.json")));
        var verification = Assert.IsType<SlackUrlVerification>(request);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", verification.Challenge);
    }

    [Fact]
    public void AppMentionCallback_IsParsedWithItsEventId()
    {
        var request = SlackPayloadParser.ParseEvents("""
            {"token":"t","team_id":"T1DC2JH3J","type":"event_callback","event_id":"Ev0PV52K21","event_time":1764086400,
             "event":{"type":"app_mention","user":"U2CERLKJA","text":"<@U0BOT> status 9002","ts":"1764086400.000300","channel":"C0APPROVALS"}}
            """);

        var callback = Assert.IsType<SlackEventCallback>(request);
        Assert.Equal("Ev0PV52K21", callback.EventId);
        Assert.Equal("T1DC2JH3J", callback.TeamId);
        Assert.Equal(1764086400, callback.EventTime);
        Assert.Equal(SlackEventKind.AppMention, callback.Event.Kind);
        Assert.Equal("<@U0BOT> status 9002", callback.Event.Text);
        Assert.Equal("C0APPROVALS", callback.Event.Channel);
        Assert.False(callback.Event.IsFromBot);
    }

    [Fact]
    public void DirectMessageCallback_IsADirectMessage_AndBotEchoesAreFlagged()
    {
        var human = (SlackEventCallback)SlackPayloadParser.ParseEvents("""
            {"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel_type":"im","user":"U2CERLKJA","text":"pending","channel":"D0DM","ts":"1.2"}}
            """);
        var echo = (SlackEventCallback)SlackPayloadParser.ParseEvents("""
            {"type":"event_callback","event_id":"Ev2","event":{"type":"message","channel_type":"im","bot_id":"B0BOT","text":"Approval needed","channel":"D0DM","ts":"1.3"}}
            """);

        Assert.Equal(SlackEventKind.DirectMessage, human.Event.Kind);
        Assert.False(human.Event.IsFromBot);
        Assert.True(echo.Event.IsFromBot);
    }

    [Fact]
    public void BlockActionsFixture_YieldsActionUserChannelAndMessage()
    {
        var json = File.ReadAllText(TestPaths.Fixture("slack/block-actions-approve.json"));
        var interaction = SlackPayloadParser.ParseInteraction("payload=" + Uri.EscapeDataString(json));

        Assert.Equal("block_actions", interaction.Type);
        var actions = interaction.BlockActions!;
        Assert.Equal("U2CERLKJA", actions.User.Id);
        Assert.Equal("priya", actions.User.Username);
        Assert.Equal("T1DC2JH3J", actions.TeamId);
        Assert.Equal("C0APPROVALS", actions.ChannelId);
        Assert.Equal("1764086400.000100", actions.MessageTs);
        Assert.Equal("https://hooks.slack.com/actions/T1DC2JH3J/1/xyz", actions.ResponseUrl);
        var action = Assert.Single(actions.Actions);
        Assert.Equal("approve", action.ActionId);
        Assert.Equal("decision", action.BlockId);
        Assert.Equal("""{"approvalId":"REPLACE_WITH_APPROVAL_ID","token":"REPLACE_WITH_ACTION_TOKEN"}""", action.Value);
    }

    [Fact]
    public void SlashCommandFixture_DecodesTheFormFields()
    {
        var command = SlackPayloadParser.ParseSlashCommand(File.ReadAllText(TestPaths.Fixture("slack/slash-command-status.txt")).Trim());

        Assert.Equal("/hso", command.Command);
        Assert.Equal("status 9002", command.Text);
        Assert.Equal("U2CERLKJA", command.UserId);
        Assert.Equal("priya", command.UserName);
        Assert.Equal("C0APPROVALS", command.ChannelId);
        Assert.Equal("https://hooks.slack.com/commands/T1DC2JH3J/1/abc", command.ResponseUrl);
    }

    [Theory]
    [InlineData("{\"type\":\"event_callback\",\"event\":{\"type\":\"message\"}}", "event_id")]
    [InlineData("{\"type\":\"url_verification\"}", "challenge")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{not json", "not valid JSON")]
    public void BadEventBodies_AreRejectedNamingTheProblem(string body, string expected)
    {
        var error = Assert.Throws<SlackPayloadException>(() => SlackPayloadParser.ParseEvents(body));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InteractionWithoutPayloadField_IsRejected()
    {
        var error = Assert.Throws<SlackPayloadException>(() => SlackPayloadParser.ParseInteraction("foo=bar"));
        Assert.Contains("payload", error.Message, StringComparison.Ordinal);
    }
}
