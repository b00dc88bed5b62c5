using System.Collections.Concurrent;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Channels;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HubSpotOrchestrator.Tests.Approvals;

[Collection(AppCollection.Name)]
public sealed class CorrelationLoggingTests
{
    [Fact]
    public async Task EveryLogLineOfAnApprovalRun_CarriesTheRunsCorrelationId()
    {
        using var logs = new ScopeCapturingLoggerProvider();
        using var app = new LoggedProcurementApp(logs);
        await app.StartAsync();
        var run = await app.PendingApprovalAsync();
        Assert.True(app.Decide(run.Id, "priya.raman").Recorded);
        await app.WaitForAsync(run.Id, RunStatus.Succeeded);
        await Eventually.TrueAsync(
            () => app.Service<IPromptStore>().ForRecipient("marco.bianchi", 20).Any(p => p.Kind == PromptKind.RequesterNotice),
            "the requester notice raised");

        // The lines written on the run's behalf: the engine, approvals, prompt delivery and the channels.
        string[] runCategories = ["HubSpotOrchestrator.Workflows.", "HubSpotOrchestrator.Approvals.", "HubSpotOrchestrator.Channels."];
        var lines = logs.Entries.Where(e => runCategories.Any(c => e.Category.StartsWith(c, StringComparison.Ordinal)) && e.Message.Contains(run.Id, StringComparison.Ordinal)
            || e.Message.Contains(ApprovalService(run.Id), StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, e => e.Category.Contains("Approvals.", StringComparison.Ordinal));
        Assert.Contains(lines, e => e.Category.Contains("Channels.", StringComparison.Ordinal));
        var missing = lines.Where(e => !e.Scopes.Contains("CorrelationId:" + run.CorrelationId, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "Lines without the correlation id:\n" + string.Join("\n", missing.Select(m => $"{m.Category}: {m.Message} [{m.Scopes}]")));
    }

    private static string ApprovalService(string runId) => HubSpotOrchestrator.Approvals.ApprovalService.IdForRun(runId);

    private sealed class LoggedProcurementApp(ScopeCapturingLoggerProvider provider) : ProcurementApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(provider));
        }
    }

    private sealed record Entry(string Category, string Message, string Scopes);

    private sealed class ScopeCapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(ScopeCapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopes = new System.Text.StringBuilder();
                owner._scopes.ForEachScope((scope, sb) => sb.Append(scope).Append(" | "), scopes);
                owner.Entries.Enqueue(new Entry(category, formatter(state, exception), scopes.ToString()));
            }
        }
    }
}
