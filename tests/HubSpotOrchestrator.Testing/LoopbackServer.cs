using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HubSpotOrchestrator.Testing;

/// <summary>A request as a <see cref="LoopbackServer"/> received it, recorded before it is handled.</summary>
/// <param name="Query">The query string with its leading <c>?</c>, or "".</param>
/// <param name="RawTarget">The request target as sent (path and query, still percent-encoded).</param>
/// <param name="At">Arrival on the server's clock (a test's fake clock when it was given one).</param>
/// <param name="Arrived">Arrival as a <see cref="Stopwatch"/> timestamp, taken before the body is read (for latency measurements in this process).</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    string RawTarget,
    string Body,
    IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset At,
    long Arrived)
{
    /// <summary>The Authorization header as sent; "" when there was none.</summary>
    public string Authorization => Headers.TryGetValue("Authorization", out var value) ? value : "";
}

/// <summary>
/// A real Kestrel on 127.0.0.1 with a port chosen by the OS. Every request is recorded (<see cref="Requests"/>), then
/// handled by the caller's delegate or by the routes it mapped.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, string baseUrl, ConcurrentQueue<RecordedRequest> requests)
    {
        _app = app;
        BaseUrl = baseUrl;
        Requests = requests;
    }

    /// <summary>http://127.0.0.1:{port}, without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; }

    /// <summary>A server that answers every request with <paramref name="handler"/>, which gets the request already recorded (body read).</summary>
    public static Task<LoopbackServer> StartAsync(Func<HttpContext, RecordedRequest, Task> handler, TimeProvider? clock = null) =>
        StartAsync(app => app.Run(context => handler(context, Recorded(context))), clock);

    /// <summary>A server whose pipeline <paramref name="map"/> builds (middleware, minimal-API routes); the request body stays readable.</summary>
    public static async Task<LoopbackServer> StartAsync(Action<WebApplication> map, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        clock ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var requests = new ConcurrentQueue<RecordedRequest>();
        app.Use(async (context, next) =>
        {
            var arrived = Stopwatch.GetTimestamp();
            var request = context.Request;
            request.EnableBuffering();
            string body;
            using (var reader = new StreamReader(request.Body, leaveOpen: true))
            {
                body = await reader.ReadToEndAsync();
            }

            request.Body.Position = 0;
            var recorded = new RecordedRequest(
                request.Method,
                request.Path.Value ?? string.Empty,
                request.QueryString.Value ?? string.Empty,
                context.Features.Get<IHttpRequestFeature>()!.RawTarget,
                body,
                request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                clock.GetUtcNow(),
                arrived);
            context.Items[typeof(RecordedRequest)] = recorded;
            requests.Enqueue(recorded);
            await next(context);
        });
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackServer(app, address.TrimEnd('/'), requests);
    }

    /// <summary>The record of the request being handled.</summary>
    public static RecordedRequest Recorded(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (RecordedRequest)context.Items[typeof(RecordedRequest)]!;
    }

    public int Count(Func<RecordedRequest, bool> predicate) => Requests.Count(predicate);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
