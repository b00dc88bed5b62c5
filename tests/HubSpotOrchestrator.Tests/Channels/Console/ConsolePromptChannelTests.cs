using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.Channels.Console;
using HubSpotOrchestrator.Channels.Slack;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.Tests.Webhooks;
using Microsoft.Extensions.Logging;

namespace HubSpotOrchestrator.Tests.Channels.Console;

[Collection(AppCollection.Name)]
public sealed class ConsolePromptChannelTests
{
    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, true, false)]
    public void Enabled_OnlyWhenNeitherTeamsNorSlackIsConfigured(bool teams, bool slack, bool expected)
    {
        var channel = Channel(teams, slack, new ListLogger());

        Assert.Equal(expected, channel.Enabled);
    }

    [Fact]
    public async Task Deliver_ReturnsTheInboxReference_AndLogsWhereToLook()
    {
        var logger = new ListLogger();
        var channel = Channel(teams: false, slack: false, logger);

        var reference = await channel.DeliverAsync(new Prompt { Id = "prm_1", Kind = PromptKind.ApprovalRequest, RecipientId = "priya.raman" }, CancellationToken.None);

        Assert.Equal(("console", "console:/console/inbox"), (channel.Name, reference));
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Contains("priya.raman", entry.Message, StringComparison.Ordinal);
        Assert.Contains("http://console.test:3978/console/inbox", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovalPrompt_IsRecordedAsDeliveredToTheConsole_OnALaptopWithoutTeamsOrSlack()
    {
        using var app = new ConsoleApp();
        await app.StartAsync();
        var run = await app.PendingApprovalAsync();
        var approvalId = ApprovalService.IdForRun(run.Id);

        await Eventually.TrueAsync(
            () => app.Service<IPromptStore>().ForApproval(approvalId).Any(p => p.RecipientId == "priya.raman" && p.Deliveries.Exists(d => d.Channel == "console")),
            "the approval prompt for priya.raman delivered to the console");
        var prompt = app.Service<IPromptStore>().ForApproval(approvalId).First(p => p.RecipientId == "priya.raman");
        Assert.Equal("console:/console/inbox", prompt.Deliveries.Single(d => d.Channel == "console").Reference);
    }

    private static ConsolePromptChannel Channel(bool teams, bool slack, ListLogger logger) => new(
        new StaticOptionsMonitor<TeamsOptions>(teams ? new TeamsOptions { AppId = "app", AppPassword = "secret" } : new TeamsOptions()),
        new StaticOptionsMonitor<SlackOptions>(slack ? new SlackOptions { BotToken = "xoxb-1", SigningSecret = "s" } : new SlackOptions()),
        new StaticOptionsMonitor<ChannelOptions>(new ChannelOptions { ConsoleBaseUrl = "http://console.test:3978/" }),
        logger);

    private sealed class ListLogger : ILogger<ConsolePromptChannel>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
