using System.Collections.Concurrent;
using HubSpotOrchestrator.Integrations.HubSpot;
using HubSpotOrchestrator.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace HubSpotOrchestrator.Tests.Infrastructure;

/// <summary>The real DI registration (AddHubSpotCrm) pointed at a <see cref="FakeHubSpotServer"/>, on a fake clock.</summary>
internal sealed class HubSpotTestHost : IAsyncDisposable
{
    private HubSpotTestHost(FakeHubSpotServer server, ServiceProvider services, FakeTimeProvider clock, ListLoggerProvider logs)
    {
        Server = server;
        Services = services;
        Clock = clock;
        Logs = logs;
    }

    public FakeHubSpotServer Server { get; }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Clock { get; }

    public ListLoggerProvider Logs { get; }

    public IHubSpotCrm Crm => Services.GetRequiredService<IHubSpotCrm>();

    public static async Task<HubSpotTestHost> StartAsync(Dictionary<string, string?>? settings = null, bool withToken = true)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 16, 0, 0, TimeSpan.Zero));
        var server = await FakeHubSpotServer.StartAsync(clock);
        var config = new Dictionary<string, string?>
        {
            ["HubSpot:BaseUrl"] = server.BaseUrl.ToString(),
            ["HubSpot:AllowInsecureHttp"] = "true",

            // Generous so that advancing the fake clock never times out a real loopback call by accident.
            ["HubSpot:RequestTimeout"] = "01:00:00",
        };
        if (withToken)
        {
            config["HubSpot:AccessToken"] = server.AccessToken;
        }

        foreach (var (key, value) in settings ?? [])
        {
            config[key] = value?.Replace("{base}", server.BaseUrl.ToString(), StringComparison.Ordinal);
        }

        var logs = new ListLoggerProvider();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs))
            .AddSingleton<TimeProvider>(clock)
            .AddHubSpotCrm(new ConfigurationBuilder().AddInMemoryCollection(config).Build())
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new HubSpotTestHost(server, services, clock, logs);
    }

    /// <summary>Advances the fake clock in steps until the call completes (retry delays and rate-limit waits run on it).</summary>
    public async Task<T> Drive<T>(Task<T> call, TimeSpan step)
    {
        for (var i = 0; i < 20_000 && !call.IsCompleted; i++)
        {
            await Task.Delay(2);
            if (!call.IsCompleted)
            {
                Clock.Advance(step);
            }
        }

        return await call.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits (real time, bounded) for something the fake clock cannot hurry, such as a request reaching the server.</summary>
    public static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 5_000 && !condition(); i++)
        {
            await Task.Delay(2);
        }

        Assert.True(condition(), "condition not reached within 10 s of real time");
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}

internal sealed class ListLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
