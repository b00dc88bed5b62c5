using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Webhooks;

namespace HubSpotOrchestrator.Tests.Storage;

/// <summary>
/// The data file on a real small tmpfs (the tests run as root, as CI does): the disk filling up and the file system
/// turning read-only answer 503 with Retry-After, lose nothing acknowledged, and clear by themselves.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class StorageFaultTests : IDisposable
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), "hso-fault-" + Guid.NewGuid().ToString("N")[..8]);
    private long _nextId = 7_000_000;

    public StorageFaultTests()
    {
        Directory.CreateDirectory(_mount);
        Sh($"mount -t tmpfs -o size=6m tmpfs {_mount}");
    }

    [Fact]
    public async Task DiskFull_Answers503WithRetryAfter_KeepsWhatWasAcknowledged_AndRecoversByItself()
    {
        using var app = Start();
        var client = app.CreateClient();
        var before = await PostAsync(app, client);
        Assert.Equal(HttpStatusCode.OK, before.Status);

        var filler = Path.Combine(_mount, "filler");
        Sh($"dd if=/dev/zero of={filler} bs=64k count=1000", allowFailure: true); // stops at ENOSPC
        var during = await PostAsync(app, client, events: 200);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.Status);
        Assert.True(during.RetryAfter is > 0, "503 carries Retry-After");
        FinalizeAbandoned();

        File.Delete(filler);
        var after = await RetryUntilOkAsync(app, client);
        var inbox = app.Service<IInboxStore>();
        Assert.All(before.Ids.Concat(after.Ids), id => Assert.NotNull(inbox.Find(id)));
        await Eventually.TrueAsync(() => after.Ids.All(id => inbox.Find(id)?.Status is InboxStatus.Routed or InboxStatus.Ignored), "routed after the fault cleared");
    }

    [Fact]
    public async Task ReadOnlyFileSystem_Answers503_AndRecoversWhenWritableAgain()
    {
        // Linux refuses to remount a file system read-only while a file on it is open for writing, so the file is
        // first closed by a fault (disk full), then found read-only when the service tries to reopen it.
        using var app = Start();
        var client = app.CreateClient();
        var before = await PostAsync(app, client);
        Assert.Equal(HttpStatusCode.OK, before.Status);
        var filler = Path.Combine(_mount, "filler");
        Sh($"dd if=/dev/zero of={filler} bs=64k count=1000", allowFailure: true);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PostAsync(app, client, events: 200)).Status);
        File.Delete(filler);

        Sh($"mount -o remount,ro {_mount}");
        await Task.Delay(1500); // past the reopen interval: the next request tries the read-only file
        var during = await PostAsync(app, client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.Status);
        Assert.True(during.RetryAfter is > 0, "503 carries Retry-After");
        FinalizeAbandoned();

        Sh($"mount -o remount,rw {_mount}");
        var after = await RetryUntilOkAsync(app, client);
        var inbox = app.Service<IInboxStore>();
        Assert.All(before.Ids.Concat(after.Ids), id => Assert.NotNull(inbox.Find(id)));
    }

    private OrchestratorFactory Start()
    {
        var app = new OrchestratorFactory();
        app.Settings["Storage:DatabaseFile"] = Path.Combine(_mount, "orchestrator.db");
        return app;
    }

    private async Task<(HttpStatusCode Status, double? RetryAfter, List<string> Ids)> PostAsync(OrchestratorFactory app, HttpClient client, int events = 20)
    {
        var batch = new JsonArray();
        var ids = new List<string>();
        for (var i = 0; i < events; i++)
        {
            var id = Interlocked.Increment(ref _nextId);
            ids.Add($"62515:{id}");
            batch.Add(new JsonObject
            {
                ["eventId"] = id, ["portalId"] = 62515, ["appId"] = 1160452, ["subscriptionType"] = "deal.propertyChange", ["objectId"] = 8000 + (id % 50),
                ["occurredAt"] = 1764086500000 + id, ["propertyName"] = "amount", ["propertyValue"] = "5000", ["changeSource"] = "CRM_UI",
                ["payload"] = new string('x', 2000),
            });
        }

        using var request = app.SignedRequest("/webhooks/hubspot", Encoding.UTF8.GetBytes(batch.ToJsonString()));
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds, ids);
    }

    private async Task<(HttpStatusCode Status, double? RetryAfter, List<string> Ids)> RetryUntilOkAsync(OrchestratorFactory app, HttpClient client)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var result = await PostAsync(app, client);
            if (result.Status == HttpStatusCode.OK || deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                Assert.True(result.Status == HttpStatusCode.OK, $"still {(int)result.Status} {deadline.Elapsed.TotalSeconds:F0} s after the fault cleared");
                return result;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>LiteDB's abandoned transactions used to crash the process from their finalizers: run them now.</summary>
    private static void FinalizeAbandoned()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void Sh(string command, bool allowFailure = false)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"'{command}' failed ({process.ExitCode}): {error} — these tests need root to mount a tmpfs, as CI has.");
        }
    }

    public void Dispose()
    {
        Sh($"umount -l {_mount}", allowFailure: true);
        try
        {
            Directory.Delete(_mount, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
