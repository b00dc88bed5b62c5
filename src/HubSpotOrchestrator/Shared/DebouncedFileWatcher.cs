namespace HubSpotOrchestrator.Shared;

/// <summary>
/// Calls <c>onSettled</c> once a burst of changes to the watched files has been quiet for <c>debounce</c>
/// (editors write a file in several steps). Used by the hot-reloaded rule set and people directory.
/// </summary>
internal sealed class DebouncedFileWatcher : IDisposable
{
    private readonly Lock _gate = new();
    private readonly FileSystemWatcher _watcher;
    private readonly TimeSpan _debounce;
    private readonly TimeProvider _clock;
    private readonly Func<Task> _onSettled;
    private readonly ILogger _logger;
    private ITimer? _timer;

    public DebouncedFileWatcher(string directory, string filter, TimeSpan debounce, TimeProvider clock, Func<Task> onSettled, ILogger logger)
    {
        _debounce = debounce;
        _clock = clock;
        _onSettled = onSettled;
        _logger = logger;
        _watcher = new FileSystemWatcher(directory, filter)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += OnChanged;
        _watcher.Created += OnChanged;
        _watcher.Deleted += OnChanged;
        _watcher.Renamed += OnChanged;
        _watcher.EnableRaisingEvents = true;
    }

    private void OnChanged(object sender, FileSystemEventArgs e)
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = _clock.CreateTimer(_ => _ = SettledAsync(), null, _debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task SettledAsync()
    {
        try
        {
            await _onSettled();
        }
        #pragma warning disable CA1031 // a timer callback nobody awaits: a reload failure is logged, never left unobserved
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            _logger.LogError(ex, "Reload after a change in {Directory} failed", _watcher.Path);
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        lock (_gate)
        {
            _timer?.Dispose();
        }
    }
}
