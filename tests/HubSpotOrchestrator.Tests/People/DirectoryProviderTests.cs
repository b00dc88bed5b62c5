using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static HubSpotOrchestrator.Tests.Infrastructure.DirectoryJson;

namespace HubSpotOrchestrator.Tests.People;

public sealed class DirectoryProviderTests : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);
    private static readonly string Valid = Doc(Person("alice"), Person("bob", roles: "\"sales-vp\""));

    private readonly string _dir = TestPaths.NewTempDir();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 16, 0, 0, TimeSpan.Zero));
    private readonly List<DirectoryProvider> _providers = [];

    private string FilePath => Path.Combine(_dir, "directory.json");

    private DirectoryProvider NewProvider(bool watch)
    {
        var provider = new DirectoryProvider(
            Options.Create(new DirectoryOptions { Path = FilePath, WatchForChanges = watch, ReloadDebounce = Debounce }),
            _clock,
            NullLogger<DirectoryProvider>.Instance);
        _providers.Add(provider);
        return provider;
    }

    /// <summary>Polls while moving the fake clock past the debounce, so a pending reload timer fires.</summary>
    private Task EventuallyAsync(Func<bool> condition, string what) =>
        Eventually.TrueAsync(() =>
        {
            _clock.Advance(Debounce);
            return condition();
        }, what);

    [Fact]
    public async Task MissingFileAtStart_FailsNamingTheConfigKey()
    {
        var provider = NewProvider(watch: false);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.InitializeAsync(CancellationToken.None));
        Assert.Contains("Directory:Path", ex.Message, StringComparison.Ordinal);
        Assert.Contains(FilePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("file not found", ex.Message, StringComparison.Ordinal);
        Assert.False(provider.IsLoaded);
    }

    [Fact]
    public async Task InvalidFileAtStart_FailsWithEveryError()
    {
        await File.WriteAllTextAsync(FilePath, Doc(Person("alice", ", \"delegate\": \"ghost\""), Person("bob", roles: "\"Admin\"")));
        var provider = NewProvider(watch: false);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.InitializeAsync(CancellationToken.None));
        Assert.Contains($"{FilePath}:3: person \"alice\": delegate \"ghost\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{FilePath}:4: person \"bob\": role \"Admin\"", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => provider.Version);
    }

    [Fact]
    public async Task ValidFileAtStart_IsServedAndHealthy()
    {
        await File.WriteAllTextAsync(FilePath, Valid);
        var provider = NewProvider(watch: false);
        await provider.InitializeAsync(CancellationToken.None);

        Assert.Equal(LoadVersion(Valid), provider.Version);
        Assert.Equal(["alice", "bob"], provider.People.Select(p => p.Id));
        Assert.Equal("bob", Assert.Single(provider.WithRole("sales-vp")).Id);
        Assert.Empty(provider.LastErrors);

        var health = await new DirectoryHealthCheck(provider).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal(provider.Version, health.Data["version"]);
    }

    [Fact]
    public async Task RefusedReload_KeepsTheLastGoodDirectory_AndReportsDegradedUntilFixed()
    {
        await File.WriteAllTextAsync(FilePath, Valid);
        var provider = NewProvider(watch: false);
        await provider.InitializeAsync(CancellationToken.None);
        var version = provider.Version;

        await File.WriteAllTextAsync(FilePath, Doc(Person("alice"), Person("bob", ", \"role\": [\"cfo\"]", roles: "\"sales-vp\"")));
        var refused = await provider.ReloadAsync();

        Assert.False(refused.Succeeded);
        Assert.Equal(version, provider.Version);
        Assert.NotNull(provider.Find("bob"));
        var error = Assert.Single(provider.LastErrors);
        Assert.StartsWith($"{FilePath}:4: person \"bob\": unknown field \"role\"", error, StringComparison.Ordinal);
        var health = await new DirectoryHealthCheck(provider).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal([error], (string[])health.Data["errors"]);

        await File.WriteAllTextAsync(FilePath, Doc(Person("alice"), Person("carol")));
        Assert.True((await provider.ReloadAsync()).Succeeded);
        Assert.Empty(provider.LastErrors);
        Assert.Null(provider.Find("bob"));
        Assert.NotEqual(version, provider.Version);
        Assert.Equal(HealthStatus.Healthy, (await new DirectoryHealthCheck(provider).CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task FileDeletedAtRunTime_KeepsTheLastGoodDirectory()
    {
        await File.WriteAllTextAsync(FilePath, Valid);
        var provider = NewProvider(watch: false);
        await provider.InitializeAsync(CancellationToken.None);
        File.Delete(FilePath);

        Assert.False((await provider.ReloadAsync()).Succeeded);
        Assert.Equal(LoadVersion(Valid), provider.Version);
        Assert.Contains("file not found", Assert.Single(provider.LastErrors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidChangeOnDisk_IsSwappedInByTheWatcher()
    {
        await File.WriteAllTextAsync(FilePath, Valid);
        var provider = NewProvider(watch: true);
        await provider.InitializeAsync(CancellationToken.None);
        var changed = Doc(Person("alice"), Person("bob", roles: "\"sales-vp\""), Person("carol", roles: "\"legal\""));

        await File.WriteAllTextAsync(FilePath, changed);

        await EventuallyAsync(() => provider.Version == LoadVersion(changed), "the changed directory is active");
        Assert.Equal("carol", Assert.Single(provider.WithRole("legal")).Id);
        Assert.Empty(provider.LastErrors);
    }

    [Fact]
    public async Task FileReplacedByRename_IsSwappedInByTheWatcher()
    {
        await File.WriteAllTextAsync(FilePath, Valid);
        var provider = NewProvider(watch: true);
        await provider.InitializeAsync(CancellationToken.None);
        var changed = Doc(Person("alice"), Person("dave", roles: "\"sales-vp\""));

        // Many editors save by writing a temporary file and renaming it over the original.
        var temp = Path.Combine(_dir, "directory.json.tmp");
        await File.WriteAllTextAsync(temp, changed);
        File.Move(temp, FilePath, overwrite: true);

        await EventuallyAsync(() => provider.Version == LoadVersion(changed), "the renamed-in directory is active");
        Assert.NotNull(provider.Find("dave"));
    }

    [Fact]
    public async Task InvalidChangeOnDisk_KeepsTheOldVersionAndExposesTheErrors()
    {
        await File.WriteAllTextAsync(FilePath, Valid);
        var provider = NewProvider(watch: true);
        await provider.InitializeAsync(CancellationToken.None);
        var version = provider.Version;

        await File.WriteAllTextAsync(FilePath, Doc(Person("alice"), Person("bob", ", \"delegate\": \"bob\"")));

        await EventuallyAsync(() => provider.LastErrors.Any(e => e.Contains("names the person themself", StringComparison.Ordinal)), "the change is refused");
        Assert.Equal(version, provider.Version);
        Assert.StartsWith($"{FilePath}:4: person \"bob\":", Assert.Single(provider.LastErrors), StringComparison.Ordinal);
        Assert.Null(provider.Find("bob")!.Delegate);
    }

    private static string LoadVersion(string json) => Load(json).Version;

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        System.IO.Directory.Delete(_dir, recursive: true);
    }
}
