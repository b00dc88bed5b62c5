using System.Text.Json;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Testing;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HubSpotOrchestrator.Tests.Shared;

public sealed class HotReloadedFileTests : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    private readonly string _dir = TestPaths.NewTempDir();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly List<HotReloadedFile<Settings, string>> _files = [];

    private string FilePath => Path.Combine(_dir, "settings.json");

    private sealed record Settings(string Name, int Limit)
    {
        public string Version => $"{Name}/{Limit}";
    }

    /// <summary>Valid when the file is JSON with a non-empty name and a positive limit.</summary>
    private async Task<HotReloadedFile<Settings, string>.Result> LoadAsync(CancellationToken ct)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(FilePath, ct);
        }
        catch (IOException ex)
        {
            return new(null, ["cannot read: " + ex.Message]);
        }

        Settings? settings;
        try
        {
            settings = JsonSerializer.Deserialize<Settings>(text, JsonSerializerOptions.Web);
        }
        catch (JsonException ex)
        {
            return new(null, ["not JSON: " + ex.Message]);
        }

        var errors = new List<string>();
        if (string.IsNullOrEmpty(settings?.Name))
        {
            errors.Add("name is required");
        }

        if (settings is null || settings.Limit <= 0)
        {
            errors.Add("limit must be positive");
        }

        return errors.Count > 0 ? new(null, errors) : new(settings, []);
    }

    private HotReloadedFile<Settings, string> NewFile(Action<Settings>? activating = null)
    {
        var file = new HotReloadedFile<Settings, string>("Settings", (_, ct) => LoadAsync(ct), s => s.Version, _clock, NullLogger.Instance, activating);
        _files.Add(file);
        return file;
    }

    private Task WriteAsync(string name, int limit) => File.WriteAllTextAsync(FilePath, $$"""{ "name": "{{name}}", "limit": {{limit}} }""");

    /// <summary>Polls while moving the fake clock past the debounce, so a pending reload timer fires.</summary>
    private Task EventuallyAsync(Func<bool> condition, string what) =>
        Eventually.TrueAsync(() =>
        {
            _clock.Advance(Debounce);
            return condition();
        }, what);

    [Fact]
    public async Task BeforeTheFirstGoodLoad_NothingIsLive()
    {
        var file = NewFile();
        await File.WriteAllTextAsync(FilePath, "{ not json");

        var outcome = await file.ReloadAsync();

        Assert.False(outcome.Succeeded);
        Assert.False(file.IsLoaded);
        Assert.Null(file.Current);
        Assert.StartsWith("not JSON", Assert.Single(file.LastErrors), StringComparison.Ordinal);
        Assert.Equal(_clock.GetUtcNow(), file.LastAttemptAt);
    }

    [Fact]
    public async Task GoodBadGood_KeepsTheGoodVersionLive_ReportsTheErrors_AndRecovers()
    {
        var file = NewFile();
        var changes = new List<string>();
        file.Changed += s => changes.Add(s.Version);
        await WriteAsync("first", 10);
        Assert.True((await file.ReloadAsync()).Succeeded);
        Assert.Equal(new Settings("first", 10), file.Current);
        Assert.Empty(file.LastErrors);

        await File.WriteAllTextAsync(FilePath, """{ "name": "", "limit": 0 }""");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var refused = await file.ReloadAsync();

        Assert.False(refused.Succeeded);
        Assert.Equal(["name is required", "limit must be positive"], file.LastErrors);
        Assert.Equal(new Settings("first", 10), file.Current);
        Assert.Equal(_clock.GetUtcNow(), file.LastAttemptAt);

        await WriteAsync("second", 20);
        Assert.True((await file.ReloadAsync()).Succeeded);
        Assert.Equal(new Settings("second", 20), file.Current);
        Assert.Empty(file.LastErrors);
        Assert.Equal(["first/10", "second/20"], changes);
    }

    [Fact]
    public async Task SameVersionAgain_ChangesNothing()
    {
        var activations = 0;
        var file = NewFile(_ => activations++);
        await WriteAsync("first", 10);
        await file.ReloadAsync();
        var live = file.Current;

        await WriteAsync("first", 10);
        Assert.True((await file.ReloadAsync()).Succeeded);

        Assert.Same(live, file.Current);
        Assert.Equal(1, activations);
    }

    [Fact]
    public async Task ActivationThatThrows_KeepsTheOldVersionLive()
    {
        var file = NewFile(s =>
        {
            if (s.Name == "unrecordable")
            {
                throw new IOException("history store unavailable");
            }
        });
        await WriteAsync("first", 10);
        await file.ReloadAsync();

        await WriteAsync("unrecordable", 10);
        await Assert.ThrowsAsync<IOException>(() => file.ReloadAsync());

        Assert.Equal("first", file.Current!.Name);
        await WriteAsync("second", 10);
        Assert.True((await file.ReloadAsync()).Succeeded);
        Assert.Equal("second", file.Current!.Name);
    }

    [Fact]
    public async Task ChangesOnDisk_AreReloadedByTheWatcher_GoodBadGood()
    {
        var file = NewFile();
        await WriteAsync("first", 10);
        await file.ReloadAsync();
        file.Watch(_dir, "*.json", Debounce);

        await File.WriteAllTextAsync(FilePath, """{ "name": "broken" }""");
        await EventuallyAsync(() => file.LastErrors.Count > 0, "the bad change is refused");
        Assert.Equal("limit must be positive", Assert.Single(file.LastErrors));
        Assert.Equal("first", file.Current!.Name);

        await WriteAsync("fixed", 5);
        await EventuallyAsync(() => file.Current!.Name == "fixed", "the fixed file is live");
        Assert.Empty(file.LastErrors);
    }

    [Fact]
    public async Task ConcurrentReaders_NeverSeeNullOrAHalfLoadedValue_WhileTheFileFlipsGoodAndBad()
    {
        var file = NewFile();
        await WriteAsync("v0", 1);
        await file.ReloadAsync();

        using var stop = new CancellationTokenSource();
        var reads = new long[2];
        var readers = Enumerable.Range(0, reads.Length).Select(r => Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var current = file.Current;
                Assert.NotNull(current);
                Assert.True(current.Limit > 0 && current.Name.StartsWith('v'), "a refused version went live: " + current);
                _ = file.LastErrors.Count;
                Interlocked.Increment(ref reads[r]);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToList();
        await Eventually.TrueAsync(() => Enumerable.Range(0, reads.Length).All(r => Volatile.Read(ref reads[r]) > 0), "every reader is reading");

        for (var i = 1; i <= 40; i++)
        {
            if (i % 2 == 0)
            {
                await WriteAsync("v" + i, i);
            }
            else
            {
                await File.WriteAllTextAsync(FilePath, """{ "name": "bad", "limit": -1 }""");
            }

            var outcome = await file.ReloadAsync();
            Assert.Equal(i % 2 == 0, outcome.Succeeded);
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Equal(new Settings("v40", 40), file.Current);
    }

    [Fact]
    public async Task ConcurrentReloads_RunOneAtATime()
    {
        var inside = 0;
        var overlapped = false;
        using var file = new HotReloadedFile<Settings, string>("Settings", async (at, ct) =>
        {
            overlapped |= Interlocked.Increment(ref inside) > 1;
            await Task.Delay(5, ct);
            Interlocked.Decrement(ref inside);
            return new(new Settings("v", at.Millisecond + 1), []);
        }, s => s.Version, TimeProvider.System, NullLogger.Instance);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => file.ReloadAsync())));

        Assert.False(overlapped);
        Assert.True(file.IsLoaded);
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }
}
