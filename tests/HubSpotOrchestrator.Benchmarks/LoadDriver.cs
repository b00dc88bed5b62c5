using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Benchmarks;

internal sealed record LoadResult(int Requests, int Failures, long Accepted, long Duplicates, TimeSpan Elapsed, LatencyStats Latency, string? FirstFailure)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public double EventsPerSecond => (Accepted + Duplicates) / Elapsed.TotalSeconds;

    public double AcceptedPerSecond => Accepted / Elapsed.TotalSeconds;
}

/// <summary>
/// HTTP load against the service over loopback with HttpClient/SocketsHttpHandler, in this process (it shares the
/// CPU with the service). Closed loop: N workers each send the next request when the previous answered.
/// Open loop: requests start on a fixed schedule whatever the answers, and latency is measured from the
/// scheduled start (so a stalled server is not hidden by a driver that waits for it).
/// </summary>
internal sealed class LoadDriver : IDisposable
{
    private readonly HttpClient _http;

    public LoadDriver(int maxConnections)
    {
        #pragma warning disable CA2000 // the HttpClient owns the handler (disposeHandler defaults to true) and Dispose() disposes the HttpClient
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        #pragma warning restore CA2000
    }

    public async Task<LoadResult> ClosedLoopAsync(int concurrency, TimeSpan duration, Func<HttpRequestMessage> nextRequest)
    {
        var latencies = new ConcurrentBag<double>();
        var counters = new Counters();
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (stop.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                await SendAsync(nextRequest(), counters);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return counters.Result(stop.Elapsed, latencies);
    }

    public async Task<LoadResult> OpenLoopAsync(double ratePerSecond, TimeSpan duration, Func<HttpRequestMessage> nextRequest)
    {
        var latencies = new ConcurrentBag<double>();
        var counters = new Counters();
        var inFlight = new List<Task>();
        var origin = Stopwatch.GetTimestamp();
        long sent = 0;
        while (Stopwatch.GetElapsedTime(origin) < duration)
        {
            var due = (long)(Stopwatch.GetElapsedTime(origin).TotalSeconds * ratePerSecond) + 1;
            for (; sent < due; sent++)
            {
                var scheduled = origin + (long)(sent / ratePerSecond * Stopwatch.Frequency);
                inFlight.Add(Task.Run(async () =>
                {
                    await SendAsync(nextRequest(), counters);
                    latencies.Add(Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds);
                }));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(inFlight);
        return counters.Result(Stopwatch.GetElapsedTime(origin), latencies);
    }

    /// <summary>Sends one request; returns the response body of a 200, null otherwise (counted as a failure).</summary>
    public async Task<byte[]?> SendOnceAsync(HttpRequestMessage request)
    {
        var counters = new Counters();
        return await SendAsync(request, counters);
    }

    private async Task<byte[]?> SendAsync(HttpRequestMessage request, Counters counters)
    {
        try
        {
            using (request)
            using (var response = await _http.SendAsync(request))
            {
                var body = await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    counters.Fail($"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(300, body.Length)))}");
                    return null;
                }

                var (accepted, duplicates) = ReadCounts(body);
                counters.Ok(accepted, duplicates);
                return body;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            counters.Fail(ex.GetType().Name + ": " + ex.Message);
            return null;
        }
    }

    /// <summary>The leading "accepted" and "duplicates" counts of a WebhookAccepted answer, without reading the rest.</summary>
    private static (int Accepted, int Duplicates) ReadCounts(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        int accepted = -1, duplicates = -1;
        while ((accepted < 0 || duplicates < 0) && reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == "accepted")
                {
                    accepted = reader.GetInt32();
                }
                else if (name == "duplicates")
                {
                    duplicates = reader.GetInt32();
                }
            }
        }

        return (Math.Max(0, accepted), Math.Max(0, duplicates));
    }

    public void Dispose() => _http.Dispose();

    private sealed class Counters
    {
        private int _requests;
        private int _failures;
        private long _accepted;
        private long _duplicates;
        private string? _firstFailure;

        public void Ok(int accepted, int duplicates)
        {
            Interlocked.Increment(ref _requests);
            Interlocked.Add(ref _accepted, accepted);
            Interlocked.Add(ref _duplicates, duplicates);
        }

        public void Fail(string what)
        {
            Interlocked.Increment(ref _requests);
            Interlocked.Increment(ref _failures);
            Interlocked.CompareExchange(ref _firstFailure, what, null);
        }

        public LoadResult Result(TimeSpan elapsed, IEnumerable<double> latencies) =>
            new(_requests, _failures, _accepted, _duplicates, elapsed, new LatencyStats(latencies), _firstFailure);
    }
}
