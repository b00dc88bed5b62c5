using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Storage;
using HubSpotOrchestrator.Webhooks;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace HubSpotOrchestrator.Tests.Storage;

/// <summary>
/// The embedded store under the service's own concurrency: signed webhook batches (routing, Procurement runs),
/// runs started directly, approvals decided, API reads — and the service stopped and started again in the middle of
/// it. Afterwards the data file is read through every index, and every acknowledged event is there. Seconds per phase:
/// HSO_STRESS_SECONDS (default 15; the long profile in docs/reliability.md uses 300).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class StoreStressTests(ITestOutputHelper output)
{
    private static readonly int Seconds = int.TryParse(Environment.GetEnvironmentVariable("HSO_STRESS_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 15;
    private readonly ConcurrentBag<string> _acknowledged = [];
    private readonly ConcurrentQueue<string> _serverErrors = [];
    private long _nextEvent = 90_000_000;

    [Fact]
    public async Task ConcurrentLoadWithStopStartCycles_LeavesAReadableFileAndLosesNothing()
    {
        var dataDir = TestPaths.NewTempDir();
        for (var phase = 0; phase < 2; phase++)
        {
#pragma warning disable CA2000 // disposed below, on purpose while the load still runs
            var app = new ProcurementApp();
#pragma warning restore CA2000
            app.Settings["Storage:DataPath"] = dataDir;
            await app.StartAsync();
            for (var deal = 0; deal < 10; deal++)
            {
                app.HubSpot.AddDeal((30_000 + deal).ToString(CultureInfo.InvariantCulture), new Dictionary<string, string?> { ["amount"] = "40000", ["discount_percentage"] = "25" });
            }

            using var stop = new CancellationTokenSource();
            var load = new[]
            {
                Task.Run(() => IngestAsync(app, stop.Token)),
                Task.Run(() => IngestAsync(app, stop.Token)),
                Task.Run(() => RunsAndClicksAsync(app, stop.Token)),
                Task.Run(() => ReadsAsync(app, stop.Token)),
            };
            await Task.Delay(TimeSpan.FromSeconds(Seconds));

            // Stop the service while the load is still running (graceful stop under load), then the load.
            var disposing = Task.Run(app.Dispose);
            await Task.Delay(200);
            await stop.CancelAsync();
            await Task.WhenAll(load.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            await disposing;
        }

        Assert.True(_serverErrors.IsEmpty, $"{_serverErrors.Count} answers 5xx, first: {_serverErrors.FirstOrDefault()}");
        Assert.True(_acknowledged.Count > 100, $"only {_acknowledged.Count} events acknowledged: the load did not run");

        var options = Options.Create(new StorageOptions { DataPath = dataDir });
        using var db = new LiteDbContext(options, NullLogger<LiteDbContext>.Instance); // checks the whole file on open
        var check = db.Read(() => LiteStoreCheck.Run(db.Database));
        Assert.True(check.Healthy, string.Join("; ", check.Problems));
        var missing = db.Read(() => _acknowledged.Where(id => db.Inbox.FindById(id) is null).ToList());
        var (events, runs, approvals) = db.Read(() => (db.Inbox.Count(), db.Runs.Count(), db.Database.GetCollection("approvals").Count()));
        output.WriteLine($"{Seconds} s x 2 phases: {_acknowledged.Count} events acknowledged ({events} stored), {runs} runs, {approvals} approvals; file check: {check.Collections} collections, {check.Documents} documents");
        Assert.True(missing.Count == 0, $"{missing.Count} of {_acknowledged.Count} acknowledged events are not in the inbox, e.g. {missing.FirstOrDefault()}");
    }

    private async Task IngestAsync(ProcurementApp app, CancellationToken stop)
    {
        using var client = app.CreateClient();
        while (!stop.IsCancellationRequested)
        {
            var batch = new JsonArray();
            var ids = new List<string>();
            for (var i = 0; i < 25; i++)
            {
                var id = Interlocked.Increment(ref _nextEvent);
                ids.Add($"62515:{id}");
                var (property, value) = (id % 3) switch { 0 => ("dealstage", "closedwon"), 1 => ("amount", "40000"), _ => ("dealname", "n" + id) };
                batch.Add(new JsonObject
                {
                    ["eventId"] = id, ["portalId"] = 62515, ["appId"] = 1160452, ["subscriptionType"] = "deal.propertyChange", ["objectId"] = 30_000 + (id % 10),
                    ["occurredAt"] = 1764086500000 + id, ["propertyName"] = property, ["propertyValue"] = value, ["changeSource"] = "CRM_UI",
                });
            }

            await SendAsync(() => app.SignedRequest("/webhooks/hubspot", Encoding.UTF8.GetBytes(batch.ToJsonString())), client, ids, stop);
        }
    }

    private static async Task RunsAndClicksAsync(ProcurementApp app, CancellationToken stop)
    {
        var runs = new List<string>();
        var deal = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                runs.Add(app.StartRun(30_000 + (deal++ % 10)).Id);
                foreach (var runId in runs.TakeLast(5))
                {
                    if (app.ApprovalFor(runId) is { IsOpen: true })
                    {
                        app.Decide(runId, "priya.raman");
                    }
                }
            }
            catch (StoreUnavailableException) when (stop.IsCancellationRequested)
            {
            }
            catch (ObjectDisposedException) when (stop.IsCancellationRequested)
            {
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    private async Task ReadsAsync(ProcurementApp app, CancellationToken stop)
    {
        using var client = app.ApiClient();
        string[] paths = ["/api/runs?pageSize=50", "/api/approvals", "/api/exceptions", "/api/events/62515:" + (_nextEvent - 5).ToString(CultureInfo.InvariantCulture)];
        var i = 0;
        while (!stop.IsCancellationRequested)
        {
            await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, paths[i++ % paths.Length]), client, [], stop);
        }
    }

    private async Task SendAsync(Func<HttpRequestMessage> make, HttpClient client, List<string> ids, CancellationToken stop)
    {
        try
        {
            using var request = make();
            using var response = await client.SendAsync(request, CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.OK && ids.Count > 0)
            {
                ids.ForEach(_acknowledged.Add);
            }
            else if ((int)response.StatusCode >= 500 && !stop.IsCancellationRequested && response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                _serverErrors.Enqueue($"{(int)response.StatusCode} {request.RequestUri}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
            }
        }
        #pragma warning disable CA1031 // whatever a request in flight meets while the service stops is expected
        catch (Exception) when (stop.IsCancellationRequested)
        #pragma warning restore CA1031
        {
            // The service is stopping under the load: requests in flight may fail; what matters is what was acknowledged.
        }
    }
}
