using System.Collections.Concurrent;
using System.Net;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>
/// A sales VP (priya.raman in config/directory.json) approving through the JSON API: lists the pending approvals and
/// approves each, again and again, until stopped. Connection failures (the service is down) and "already decided"
/// answers are expected and only counted.
/// </summary>
public sealed class Approver : IAsyncDisposable
{
    public const string User = "priya.raman";

    private readonly OrchestratorApi _api;
    private readonly Chance _chance;
    private readonly TimeSpan _every;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _answers = new(StringComparer.Ordinal);
    private Task? _loop;
    private TaskCompletionSource _nextDecision = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Approver(OrchestratorApi api, Chance chance, TimeSpan every)
    {
        _api = api;
        _chance = chance;
        _every = every;
    }

    /// <summary>Decisions recorded (HTTP 200).</summary>
    public int Decided => _answers.GetValueOrDefault("200");

    public string AnswerSummary() => string.Join(", ", _answers.OrderByDescending(a => a.Value).Select(a => $"{a.Key}: {a.Value}"));

    public void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>Completes when the next decision is recorded (to aim a kill at the resume that follows it).</summary>
    public Task NextDecisionAsync() => Volatile.Read(ref _nextDecision).Task;

    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        if (_loop is not null)
        {
            await _loop;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var pending = (await _api.GetApprovalIdsAsync("Pending", 200, _stop.Token)).ToList();
                _chance.Shuffle(pending);

                // A few clicks at a time: one decision takes a second or more on a loaded machine, and the approver must
                // not be what keeps runs waiting.
                await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = _stop.Token }, async (id, token) =>
                {
                    var status = await _api.DecideAsync(id, "approve", token);
                    Count(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    if (status == HttpStatusCode.OK)
                    {
                        Interlocked.Exchange(ref _nextDecision, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                    }
                });
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Count(ex is HttpRequestException { StatusCode: { } code } ? "list answered " + (int)code : "no connection");
            }

            try
            {
                await Task.Delay(_every, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void Count(string answer) => _answers.AddOrUpdate(answer, 1, (_, n) => n + 1);
}
