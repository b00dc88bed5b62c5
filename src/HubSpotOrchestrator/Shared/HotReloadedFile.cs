
namespace HubSpotOrchestrator.Shared;

/// <summary>
/// A value loaded and validated from a file (or a folder of files) that is replaced atomically when the files change
/// and the new content validates. A refused change leaves the last good value live; its errors are kept for health
/// checks and the API, and logged. Readers take <see cref="Current"/> without locks; reloads run one at a time.
/// </summary>
/// <typeparam name="T">The loaded value; replaced as a whole, never mutated.</typeparam>
/// <typeparam name="TError">One problem with the content (file, line, message).</typeparam>
internal sealed class HotReloadedFile<T, TError> : IDisposable
    where T : class
{
    private readonly string _name;
    private readonly Func<DateTimeOffset, CancellationToken, Task<Result>> _load;
    private readonly Func<T, string> _version;
    private readonly Action<T>? _activating;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private DebouncedFileWatcher? _watcher;
    private T? _current;
    private IReadOnlyList<TError> _lastErrors = [];
    private long _lastAttemptTicks;

    /// <param name="name">What is loaded, for the log ("Rule set", "People directory").</param>
    /// <param name="load">Reads and validates the files; called with the attempt time. It must not touch the live value.</param>
    /// <param name="version">The content version; a valid load with the live version changes nothing.</param>
    /// <param name="activating">Called under the reload gate just before a new version goes live; if it throws, the version is not swapped in.</param>
    public HotReloadedFile(string name, Func<DateTimeOffset, CancellationToken, Task<Result>> load, Func<T, string> version, TimeProvider clock, ILogger logger, Action<T>? activating = null)
    {
        _name = name;
        _load = load;
        _version = version;
        _activating = activating;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Raised (under the reload gate) after a new version has gone live; a handler that throws fails that reload, not the swap.</summary>
    public event Action<T>? Changed;

    /// <summary>The live value; null only until the first good load.</summary>
    public T? Current => Volatile.Read(ref _current);

    public bool IsLoaded => Current is not null;

    /// <summary>Errors of the last refused load; empty when the last attempt succeeded.</summary>
    public IReadOnlyList<TError> LastErrors => Volatile.Read(ref _lastErrors);

    public DateTimeOffset? LastAttemptAt => Interlocked.Read(ref _lastAttemptTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Loads the files again; swaps the new value in only if it is valid and its version differs.</summary>
    public async Task<Result> ReloadAsync(CancellationToken ct = default)
    {
        await _reloadGate.WaitAsync(ct);
        try
        {
            var now = _clock.GetUtcNow();
            Interlocked.Exchange(ref _lastAttemptTicks, now.UtcTicks);
            var outcome = await _load(now, ct);
            if (!outcome.Succeeded)
            {
                Volatile.Write(ref _lastErrors, outcome.Errors);
                _logger.LogError("{Source} change refused; keeping {ActiveVersion}. {ErrorCount} error(s): {Errors}",
                    _name, _current is { } live ? _version(live) : "(none)", outcome.Errors.Count, string.Join(" | ", outcome.Errors));
                return outcome;
            }

            var value = outcome.Value!;
            Volatile.Write(ref _lastErrors, []);
            if (_current is { } active && _version(active) == _version(value))
            {
                return outcome;
            }

            _activating?.Invoke(value);
            Volatile.Write(ref _current, value);
            Changed?.Invoke(value);
            return outcome;
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>Reloads once a burst of changes to <paramref name="filter"/> in <paramref name="directory"/> has been quiet for <paramref name="debounce"/>.</summary>
    public void Watch(string directory, string filter, TimeSpan debounce)
    {
        if (_watcher is not null)
        {
            throw new InvalidOperationException(_name + " is already watched.");
        }

        _watcher = new DebouncedFileWatcher(directory, filter, debounce, _clock, () => ReloadAsync(), _logger);
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _reloadGate.Dispose();
    }

    /// <summary>What one load produced: the value, or the errors that refuse it.</summary>
    public readonly record struct Result(T? Value, IReadOnlyList<TError> Errors)
    {
        public bool Succeeded => Value is not null && Errors.Count == 0;
    }
}
