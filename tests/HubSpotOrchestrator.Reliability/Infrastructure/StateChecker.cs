using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>What the service's API showed in one check of everything the senders got acknowledged.</summary>
public sealed class RecoveryState
{
    public const string Procurement = "ProcurementApproval";

    public int Acknowledged { get; init; }

    /// <summary>Acknowledged events the API does not know (404): lost.</summary>
    public required IReadOnlyList<string> Lost { get; init; }

    /// <summary>Acknowledged events not routed yet, by status (Received, Dispatched).</summary>
    public required IReadOnlyDictionary<string, List<string>> Unrouted { get; init; }

    /// <summary>Events routed to more runs than the one workflow their rule names.</summary>
    public required IReadOnlyList<string> EventsWithSeveralRuns { get; init; }

    public int ProcurementDeals { get; init; }

    /// <summary>Deals whose acknowledged contract-sent event has no Procurement Approval run.</summary>
    public required IReadOnlyList<long> DealsWithoutRun { get; init; }

    /// <summary>Deals with more than one Procurement Approval run (one event each, so one run each).</summary>
    public required IReadOnlyList<string> DuplicateRuns { get; init; }

    public required IReadOnlyDictionary<string, int> RunsByStatus { get; init; }

    /// <summary>Procurement runs Pending or Running: work the engine has not done.</summary>
    public required IReadOnlyList<string> RunsWithWorkToDo { get; init; }

    /// <summary>Runs still Waiting for an approval that is already decided: not resumed (yet, or the resume was lost).</summary>
    public required IReadOnlyList<string> WaitingOnDecidedApproval { get; init; }

    /// <summary>Runs Waiting for an approval still Pending: the approver has not clicked yet.</summary>
    public required IReadOnlyList<string> WaitingOnPendingApproval { get; init; }

    /// <summary>Runs that ended Failed (an Exception for a person to handle) or Cancelled.</summary>
    public required IReadOnlyList<string> FailedRuns { get; init; }

    public int UnroutedCount => Unrouted.Values.Sum(v => v.Count);

    /// <summary>How long the check's API calls took: events, runs, approvals.</summary>
    public string Timing { get; init; } = "";

    /// <summary>Nothing lost, nothing left to do: every event routed, every run finished, no duplicate.</summary>
    public bool Settled => Lost.Count == 0 && UnroutedCount == 0 && EventsWithSeveralRuns.Count == 0 && DealsWithoutRun.Count == 0
        && DuplicateRuns.Count == 0 && RunsWithWorkToDo.Count == 0 && WaitingOnDecidedApproval.Count == 0 && WaitingOnPendingApproval.Count == 0
        && FailedRuns.Count == 0;

    /// <summary>
    /// Stuck, in the suite's sense: events not routed, runs with work left (Pending, Running), runs not resumed after their
    /// approval was decided. Lost events, deals without a run (their event is among the un-routed) and runs waiting for a
    /// click are reported apart.
    /// </summary>
    public int StuckCount => UnroutedCount + RunsWithWorkToDo.Count + WaitingOnDecidedApproval.Count;

    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"  acknowledged events: {Acknowledged}; lost (404): {Lost.Count}{Examples(Lost)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  un-routed: {UnroutedCount}{string.Concat(Unrouted.Select(u => $" [{u.Key}: {u.Value.Count}{Examples(u.Value)}]"))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  events with more than one run: {EventsWithSeveralRuns.Count}{Examples(EventsWithSeveralRuns)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  procurement deals: {ProcurementDeals}; runs by status: {string.Join(", ", RunsByStatus.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  deals without a run: {DealsWithoutRun.Count}{Examples(DealsWithoutRun.Select(d => d.ToString(CultureInfo.InvariantCulture)).ToList())}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  duplicate runs: {DuplicateRuns.Count}{Examples(DuplicateRuns)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  runs Pending/Running (work to do): {RunsWithWorkToDo.Count}{Examples(RunsWithWorkToDo)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  runs still Waiting on an approval already decided (not resumed): {WaitingOnDecidedApproval.Count}{Examples(WaitingOnDecidedApproval)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  runs Waiting on an approval not clicked yet: {WaitingOnPendingApproval.Count}{Examples(WaitingOnPendingApproval)}");
        text.Append(CultureInfo.InvariantCulture, $"  runs Failed/Cancelled: {FailedRuns.Count}{Examples(FailedRuns)}");
        return text.ToString();
    }

    public string OneLine() =>
        $"lost {Lost.Count}, un-routed {UnroutedCount}, deals without run {DealsWithoutRun.Count}, runs with work to do {RunsWithWorkToDo.Count}, "
        + $"waiting on decided approval {WaitingOnDecidedApproval.Count}, waiting on a click {WaitingOnPendingApproval.Count}, failed {FailedRuns.Count}, "
        + $"duplicate runs {DuplicateRuns.Count}";

    private static string Examples(IReadOnlyList<string> items) =>
        items.Count == 0 ? "" : " (e.g. " + string.Join(", ", items.Take(5)) + (items.Count > 5 ? ", …" : "") + ")";
}

/// <summary>
/// Checks, through the JSON API only, what became of every acknowledged event (GET /api/events/{id}) and of every
/// Procurement Approval run (GET /api/runs, GET /api/approvals). An event found Routed or Ignored is final and not
/// asked about again, so repeated checks cost only what is still open.
/// </summary>
public sealed class StateChecker(OrchestratorApi api, Ledger ledger)
{
    private readonly ConcurrentDictionary<string, EventState> _final = new(StringComparer.Ordinal);

    /// <summary>Asks about acknowledged events not yet known final; <paramref name="olderThan"/> skips the newest ones (during load).</summary>
    public async Task<IReadOnlyList<EventState>> ConfirmEventsAsync(TimeSpan olderThan, int max = int.MaxValue, CancellationToken ct = default)
    {
        var open = ledger.AcknowledgedBefore(olderThan).Where(e => !_final.ContainsKey(e.EventId)).Take(max).ToList();
        var states = new ConcurrentBag<EventState>();
        await Parallel.ForEachAsync(open, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (e, token) =>
        {
            var state = await api.GetEventAsync(e.EventId, token);
            if (state.Status is "Routed" or "Ignored")
            {
                _final[e.EventId] = state;
            }

            states.Add(state);
        });
        return [.. states];
    }

    /// <summary>Only the events: lost and un-routed ones (no runs, no approvals).</summary>
    public async Task<RecoveryState> CheckEventsAsync(CancellationToken ct = default)
    {
        var open = await ConfirmEventsAsync(TimeSpan.Zero, ct: ct);
        return new RecoveryState
        {
            Acknowledged = ledger.AcknowledgedCount,
            Lost = [.. open.Where(s => s.Status == "Missing").Select(s => s.EventId)],
            Unrouted = Unrouted(open),
            EventsWithSeveralRuns = [],
            DealsWithoutRun = [],
            DuplicateRuns = [],
            RunsByStatus = new Dictionary<string, int>(),
            RunsWithWorkToDo = [],
            WaitingOnDecidedApproval = [],
            WaitingOnPendingApproval = [],
            FailedRuns = [],
        };
    }

    public async Task<RecoveryState> CheckAsync(CancellationToken ct = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var open = await ConfirmEventsAsync(TimeSpan.Zero, ct: ct);
        var events = clock.Elapsed;
        var acknowledged = ledger.Acknowledged.ToList();
        var runs = await api.GetRunsAsync(RecoveryState.Procurement, ct);
        var runsTime = clock.Elapsed - events;
        var pendingApprovals = (await api.GetApprovalIdsAsync("Pending", 500, ct)).ToHashSet(StringComparer.Ordinal);
        var timing = FormattableString.Invariant($"check {clock.Elapsed.TotalSeconds:0.0} s: {open.Count} events {events.TotalSeconds:0.0} s, {runs.Count} runs {runsTime.TotalSeconds:0.0} s, approvals {(clock.Elapsed - events - runsTime).TotalSeconds:0.0} s");

        var runsByDeal = runs.GroupBy(r => r.SubjectId).ToDictionary(g => g.Key, g => g.ToList());
        var deals = acknowledged.Where(e => e.IsProcurement).Select(e => e.ObjectId).Distinct().ToList();

        return new RecoveryState
        {
            Acknowledged = acknowledged.Count,
            Lost = [.. open.Where(s => s.Status == "Missing").Select(s => s.EventId)],
            Unrouted = Unrouted(open),
            EventsWithSeveralRuns = [.. _final.Values.Where(s => s.RunIds.Count > 1).Select(s => $"{s.EventId} → {string.Join("+", s.RunIds)}")],
            ProcurementDeals = deals.Count,
            DealsWithoutRun = [.. deals.Where(d => !runsByDeal.ContainsKey(d))],
            DuplicateRuns = [.. runsByDeal.Where(g => g.Value.Count > 1).Select(g => $"deal {g.Key}: {string.Join(", ", g.Value.Select(r => $"{r.Id} {r.Status}"))}")],
            RunsByStatus = runs.GroupBy(r => r.Status, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            RunsWithWorkToDo = [.. runs.Where(r => r.Status is "Pending" or "Running").Select(Describe)],
            WaitingOnDecidedApproval = [.. runs.Where(r => r.Status == "Waiting" && !WaitsOn(r, pendingApprovals)).Select(Describe)],
            WaitingOnPendingApproval = [.. runs.Where(r => r.Status == "Waiting" && WaitsOn(r, pendingApprovals)).Select(Describe)],
            FailedRuns = [.. runs.Where(r => r.Status is "Failed" or "Cancelled").Select(r => $"{Describe(r)}: {r.StatusReason}")],
            Timing = timing,
        };
    }

    private static Dictionary<string, List<string>> Unrouted(IEnumerable<EventState> open) =>
        open.Where(s => s.Status is not ("Routed" or "Ignored" or "Missing"))
            .GroupBy(s => s.Status, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(s => s.EventId).ToList(), StringComparer.Ordinal);

    private static bool WaitsOn(RunState run, HashSet<string> pendingApprovals) =>
        run.WaitingFor is { } waiting && waiting.StartsWith("approval:", StringComparison.Ordinal) && pendingApprovals.Contains(waiting["approval:".Length..]);

    private static string Describe(RunState run) =>
        $"{run.Id} (deal {run.SubjectId}, {run.Status}, step {run.CurrentStep}{(run.WaitingFor is null ? "" : ", waits for " + run.WaitingFor)}, updated {run.UpdatedAt:HH:mm:ss})";
}
