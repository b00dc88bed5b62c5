using System.Diagnostics;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>Waiting on a condition with a deadline (never a fixed sleep standing in for an assertion).</summary>
public static class Poll
{
    /// <summary>Evaluates <paramref name="condition"/> every <paramref name="every"/> until it holds or <paramref name="timeout"/> passes; true when it held.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan every, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            var left = timeout - clock.Elapsed;
            await Task.Delay(left < every ? left : every, ct);
        }
    }
}
