using System.Diagnostics;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>
/// Concurrent senders of signed 50-event batches. A batch that is not acknowledged (no 2xx: the service is down, being
/// killed, or refused it) is delivered again by the same sender, as HubSpot does, until it is; a new batch is built only
/// after the previous one was acknowledged. <see cref="StopNewBatches"/> ends the load; <see cref="FlushAsync"/> then
/// delivers what is still unacknowledged.
/// </summary>
public sealed class WebhookLoad : IAsyncDisposable
{
    private readonly Func<string> _url;
    private readonly WebhookBatches _factory;
    private readonly Ledger _ledger;
    private readonly Chance _chance;
    private readonly HttpClient _http = Ledger.NewClient(TimeSpan.FromSeconds(15));
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];

    public WebhookLoad(Func<string> url, WebhookBatches factory, Ledger ledger, Chance chance)
    {
        _url = url;
        _factory = factory;
        _ledger = ledger;
        _chance = chance;
    }

    /// <summary>Procurement deals per batch (contract-sent events for new deals).</summary>
    public int ProcurementDealsPerBatch { get; init; } = 2;

    /// <summary>Closed loop: <paramref name="senders"/> senders, each pausing a random time in [min, max] between acknowledged batches.</summary>
    public void StartClosedLoop(int senders, TimeSpan pauseMin, TimeSpan pauseMax)
    {
        for (var i = 0; i < senders; i++)
        {
            _workers.Add(Task.Run(() => SenderAsync(pauseMin, pauseMax)));
        }
    }

    /// <summary>Open loop: a new batch every 1/<paramref name="batchesPerSecond"/> s whatever the answers (each retried until acknowledged).</summary>
    public void StartRate(double batchesPerSecond) => _workers.Add(Task.Run(() => RateAsync(batchesPerSecond)));

    /// <summary>No new batch from now on; deliveries under way finish (or fail) first.</summary>
    public async Task StopNewBatches()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    /// <summary>Delivers every unacknowledged batch until it is acknowledged or <paramref name="timeout"/> passes; the number left.</summary>
    public async Task<int> FlushAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var left = _ledger.Unacknowledged.ToList();
        while (left.Count > 0 && clock.Elapsed < timeout)
        {
            await Parallel.ForEachAsync(left, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, token) =>
                await _ledger.DeliverAsync(_http, _url(), batch, token));
            left = _ledger.Unacknowledged.ToList();
            if (left.Count > 0)
            {
                await Task.Delay(250);
            }
        }

        return left.Count;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopNewBatches();
        }

        _stop.Dispose();
        _http.Dispose();
    }

    private async Task SenderAsync(TimeSpan pauseMin, TimeSpan pauseMax)
    {
        WebhookBatch? pending = null;
        while (!_stop.IsCancellationRequested)
        {
            if (pending is null)
            {
                pending = _factory.Next(ProcurementDealsPerBatch);
                _ledger.Add(pending);
            }

            var answer = await _ledger.DeliverAsync(_http, _url(), pending);
            var pause = answer.IsSuccess ? _chance.Between(pauseMin, pauseMax) : TimeSpan.FromMilliseconds(200);
            if (answer.IsSuccess)
            {
                pending = null;
            }

            try
            {
                await Task.Delay(pause, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task RateAsync(double batchesPerSecond)
    {
        var origin = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>();
        for (long n = 0; !_stop.IsCancellationRequested; n++)
        {
            var due = TimeSpan.FromSeconds(n / batchesPerSecond) - Stopwatch.GetElapsedTime(origin);
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var batch = _factory.Next(n % 2 == 0 ? ProcurementDealsPerBatch : 0);
            _ledger.Add(batch);
            inFlight.Add(Task.Run(async () =>
            {
                for (var attempt = 0; attempt < 20 && !(await _ledger.DeliverAsync(_http, _url(), batch)).IsSuccess; attempt++)
                {
                    await Task.Delay(500);
                }
            }));
            inFlight.RemoveAll(t => t.IsCompleted);
        }

        await Task.WhenAll(inFlight);
    }
}
