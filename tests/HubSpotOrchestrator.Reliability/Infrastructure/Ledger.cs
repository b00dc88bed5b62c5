using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>One answer to a webhook delivery.</summary>
/// <param name="Status">HTTP status; null when there was no HTTP answer (refused, reset, timeout).</param>
public sealed record DeliveryAnswer(int? Status, string? RetryAfter, string Label, string Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>
/// Everything the webhook senders did: every batch built, every delivery's answer, and the events the service
/// acknowledged (a 2xx answer: from then on it must never lose them).
/// </summary>
public sealed class Ledger
{
    private readonly ConcurrentQueue<WebhookBatch> _batches = new();
    private readonly ConcurrentDictionary<string, (SentEvent Event, long AcknowledgedAt)> _acknowledged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _answers = new(StringComparer.Ordinal);

    public IReadOnlyCollection<WebhookBatch> Batches => _batches;

    public int AcknowledgedCount => _acknowledged.Count;

    /// <summary>Delivery answers by label ("200", "503 Retry-After: 30", "connection refused", …) and how often each came.</summary>
    public IReadOnlyDictionary<string, int> Answers => _answers;

    public IEnumerable<SentEvent> Acknowledged => _acknowledged.Values.Select(v => v.Event);

    /// <summary>Events acknowledged at least <paramref name="age"/> ago.</summary>
    public IEnumerable<SentEvent> AcknowledgedBefore(TimeSpan age)
    {
        var cutoff = Stopwatch.GetTimestamp() - (long)(age.TotalSeconds * Stopwatch.Frequency);
        return _acknowledged.Values.Where(v => v.AcknowledgedAt <= cutoff).Select(v => v.Event);
    }

    public IEnumerable<WebhookBatch> Unacknowledged => _batches.Where(b => !b.Acknowledged);

    public string AnswerSummary() =>
        string.Join(", ", _answers.OrderByDescending(a => a.Value).Select(a => $"{a.Key}: {a.Value}"));

    public void Add(WebhookBatch batch) => _batches.Enqueue(batch);

    public void Record(WebhookBatch batch, DeliveryAnswer answer)
    {
        _answers.AddOrUpdate(answer.Label, 1, (_, n) => n + 1);
        batch.Record(answer.Label, answer.IsSuccess);
        if (answer.IsSuccess)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var e in batch.Events)
            {
                _acknowledged.TryAdd(e.EventId, (e, now));
            }
        }
    }

    /// <summary>Posts one signed delivery of <paramref name="batch"/> and records the answer.</summary>
    public async Task<DeliveryAnswer> DeliverAsync(HttpClient http, string url, WebhookBatch batch, CancellationToken ct = default)
    {
        var answer = await PostAsync(http, url, batch.Body, ct);
        Record(batch, answer);
        return answer;
    }

    public static async Task<DeliveryAnswer> PostAsync(HttpClient http, string url, ReadOnlyMemory<byte> body, CancellationToken ct = default)
    {
        using var request = WebhookBatches.Sign(url, body);
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var retryAfter = response.Headers.RetryAfter?.ToString();
            var status = (int)response.StatusCode;
            var label = status.ToString(System.Globalization.CultureInfo.InvariantCulture)
                + (retryAfter is null ? status >= 500 ? " without Retry-After" : "" : " Retry-After: " + retryAfter);
            if (response.IsSuccessStatusCode && !IsAcceptedAnswer(text))
            {
                label += " (body is not a WebhookAccepted answer)";
            }

            return new DeliveryAnswer(status, retryAfter, label, text.Length > 400 ? text[..400] : text);
        }
        catch (HttpRequestException ex)
        {
            return new DeliveryAnswer(null, null, Describe(ex), ex.Message);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            return new DeliveryAnswer(null, null, "no answer within " + http.Timeout.TotalSeconds + " s", ex.Message);
        }
    }

    private static bool IsAcceptedAnswer(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.TryGetProperty("accepted", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Describe(HttpRequestException ex)
    {
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.ConnectionReset => "connection reset",
                    _ => "socket " + socket.SocketErrorCode,
                };
            }
        }

        return ex.HttpRequestError == HttpRequestError.ResponseEnded ? "connection closed before the answer" : "HTTP error " + ex.HttpRequestError;
    }

    /// <summary>An HttpClient for deliveries: no proxy, a bounded timeout, connections not kept across a killed process for long.</summary>
    public static HttpClient NewClient(TimeSpan timeout)
    {
        #pragma warning disable CA2000 // the HttpClient owns and disposes its handler
        return new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            MaxConnectionsPerServer = 64,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = timeout,
        };
        #pragma warning restore CA2000
    }
}
