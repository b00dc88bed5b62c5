using System.Collections.Concurrent;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.Integrations;
using Microsoft.Extensions.Logging;

namespace HubSpotOrchestrator.Tests.Channels;

public sealed class CardReplacementTests
{
    private const string Approval = "apr_1";
    private readonly FakePromptStore _prompts = new();
    private readonly CapturingLogger _logger = new();
    private readonly List<string> _replaced = [];

    public CardReplacementTests()
    {
        _prompts.Add("request:priya", PromptKind.ApprovalRequest, ("slack", "D1|1.1"), ("teams", "https://smba|a:1|t1"));
        _prompts.Add("request:james", PromptKind.ApprovalRequest, ("slack", "D2|2.2"), ("slack", null));
        _prompts.Add("reminder:priya", PromptKind.Reminder, ("slack", "D1|3.3"), ("slack", "D1|1.1"));
        _prompts.Add("escalated:aisha", PromptKind.Escalated, ("console", "x"), ("slack", "D3|4.4"));
        _prompts.Add("decided:requester", PromptKind.ApprovalDecided, ("slack", "D9|9.9"));
        _prompts.Add("decided:priya", PromptKind.ApprovalDecided, ("slack", "D1|5.5"));
    }

    private Prompt Decided => _prompts.Get("decided:priya")!;

    [Fact]
    public async Task EveryEarlierCopyOnTheChannel_IsReplacedOnce_ButNotDecidedOnes()
    {
        await ReplaceAsync(_ => Task.CompletedTask);

        Assert.Equal(["D1|1.1", "D2|2.2", "D1|3.3", "D3|4.4"], _replaced);
    }

    [Theory]
    [InlineData(FailureKind.Permanent)]
    [InlineData(FailureKind.Configuration)]
    public async Task APermanentFailure_IsLoggedWithThePromptAndCorrelation_AndTheOthersAreStillReplaced(FailureKind kind)
    {
        await ReplaceAsync(reference => reference == "D2|2.2" ? throw new IntegrationException("Slack", kind, "message_not_found") : Task.CompletedTask);

        Assert.Equal(["D1|1.1", "D2|2.2", "D1|3.3", "D3|4.4"], _replaced);
        var warning = Assert.Single(_logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("decided:priya", warning.Message, StringComparison.Ordinal);
        Assert.Contains("corr-1", warning.Message, StringComparison.Ordinal);
        Assert.Contains("D2|2.2", warning.Message, StringComparison.Ordinal);
        Assert.Contains(warning.Scopes, s => s.Contains("CorrelationId", StringComparison.Ordinal) && s.Contains("corr-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATransientFailure_DoesNotStopTheOthers_AndIsRethrownAfterwardsForTheJobToRetry()
    {
        var throttled = new IntegrationException("Slack", FailureKind.Transient, "ratelimited", retryAfter: TimeSpan.FromSeconds(30));

        var thrown = await Assert.ThrowsAsync<IntegrationException>(() => ReplaceAsync(reference => reference == "D1|1.1" ? throw throttled : Task.CompletedTask));

        Assert.Same(throttled, thrown);
        Assert.Equal(["D1|1.1", "D2|2.2", "D1|3.3", "D3|4.4"], _replaced);
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("will retry", StringComparison.Ordinal) && e.Message.Contains("corr-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SeveralFailures_AreRethrownTogether()
    {
        var ex = await Assert.ThrowsAsync<AggregateException>(() => ReplaceAsync(reference => reference.StartsWith("D1", StringComparison.Ordinal)
            ? throw new HttpRequestException("connection reset")
            : Task.CompletedTask));

        Assert.Equal(2, ex.InnerExceptions.Count);
        Assert.Equal(4, _replaced.Count);
    }

    [Fact]
    public async Task AnUnreadableReference_IsLoggedAndSkipped()
    {
        _prompts.Add("reminder:james", PromptKind.Reminder, ("slack", "not-a-reference"));

        await ReplaceAsync(_ => Task.CompletedTask);

        Assert.Equal(4, _replaced.Count);
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("not-a-reference", StringComparison.Ordinal) && e.Message.Contains("decided:priya", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancellation_StopsAtOnce()
    {
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CardReplacement.ReplaceEarlierCopiesAsync(
            _prompts, Decided, "slack", Parse, async (reference, ct) =>
            {
                _replaced.Add(reference);
                await cts.CancelAsync();
                ct.ThrowIfCancellationRequested();
            }, _logger, cts.Token));

        Assert.Single(_replaced);
    }

    private Task ReplaceAsync(Func<string, Task> replace) =>
        CardReplacement.ReplaceEarlierCopiesAsync(_prompts, Decided, "slack", Parse, (reference, _) =>
        {
            _replaced.Add(reference);
            return replace(reference);
        }, _logger, CancellationToken.None);

    private static string? Parse(string reference) => reference.Contains('|', StringComparison.Ordinal) ? reference : null;

    private sealed class FakePromptStore : IPromptStore
    {
        private readonly List<Prompt> _prompts = [];

        public void Add(string id, PromptKind kind, params (string Channel, string? Reference)[] deliveries) => _prompts.Add(new Prompt
        {
            Id = id, Kind = kind, ApprovalId = Approval, CorrelationId = "corr-1",
            Deliveries = deliveries.Select(d => new PromptDelivery { Channel = d.Channel, Reference = d.Reference }).ToList(),
        });

        public bool TryAdd(Prompt prompt) => throw new NotSupportedException();

        public Prompt? Get(string id) => _prompts.Find(p => p.Id == id);

        public void RecordDelivery(string promptId, PromptDelivery delivery) => throw new NotSupportedException();

        public IReadOnlyList<Prompt> ForRecipient(string? recipientId, int limit) => throw new NotSupportedException();

        public IReadOnlyList<Prompt> ForApproval(string approvalId) => _prompts.Where(p => p.ApprovalId == approvalId).ToList();
    }

    private sealed class CapturingLogger : ILogger
    {
        private readonly AsyncLocal<ImmutableStack?> _scopes = new();

        public ConcurrentQueue<(LogLevel Level, string Message, List<string> Scopes)> Entries { get; } = new();

        public IDisposable BeginScope<TState>(TState state) where TState : notnull
        {
            var parent = _scopes.Value;
            _scopes.Value = new ImmutableStack(FormatScope(state), parent);
            return new Pop(() => _scopes.Value = parent);
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            for (var s = _scopes.Value; s is not null; s = s.Parent)
            {
                scopes.Add(s.Text);
            }

            Entries.Enqueue((logLevel, formatter(state, exception), scopes));
        }

        private static string FormatScope<TState>(TState state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}"))
            : state?.ToString() ?? "";

        private sealed record ImmutableStack(string Text, ImmutableStack? Parent);

        private sealed class Pop(Action pop) : IDisposable
        {
            public void Dispose() => pop();
        }
    }
}
