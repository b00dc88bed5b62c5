using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HubSpotOrchestrator.Tests.Webhooks;

[Collection(AppCollection.Name)]
public sealed class ClientDisconnectTests
{
    [Fact]
    public async Task ClientThatDisconnectsMidBody_IsLoggedQuietlyWithoutAnError()
    {
        using var logs = new CapturingLoggerProvider();
        using var app = new LoggingFactory(logs);
        app.UseKestrel(0);
        app.StartServer();
        var address = app.CreateClient().BaseAddress!;

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(address.Host, address.Port);
            var stream = tcp.GetStream();
            var head = $"POST /webhooks/hubspot HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n[{{\"eventId\":1,";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.FlushAsync();
            await Task.Delay(200);
        }

        await Eventually.TrueAsync(() => logs.Entries.Any(e => e.Message.Contains("body incomplete", StringComparison.Ordinal)), "incomplete body logged");
        Assert.Equal(LogLevel.Information, logs.Entries.First(e => e.Message.Contains("body incomplete", StringComparison.Ordinal)).Level);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error);
    }

    private sealed class LoggingFactory(CapturingLoggerProvider logs) : OrchestratorFactory
    {
        protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(logs);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(LogLevel, string)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
