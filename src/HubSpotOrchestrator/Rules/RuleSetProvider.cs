using HubSpotOrchestrator.Shared;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Rules;

/// <summary>
/// Holds the active rule set and replaces it atomically when the files change and the new set validates.
/// An invalid change is refused: the last good set stays active and the error is reported.
/// </summary>
internal sealed class RuleSetProvider : IDisposable
{
    private readonly RulesOptions _options;
    private readonly IRuleSetStore _store;
    private readonly TimeProvider _clock;
    private readonly ILogger<RuleSetProvider> _logger;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly RuleWorkflowCatalog _catalog;
    private DebouncedFileWatcher? _watcher;
    private RuleSet? _current;

    public RuleSetProvider(IOptions<RulesOptions> options, RuleWorkflowCatalog catalog, IRuleSetStore store, TimeProvider clock, ILogger<RuleSetProvider> logger)
    {
        _options = options.Value;
        _catalog = catalog;
        _store = store;
        _clock = clock;
        _logger = logger;
    }

    public RuleSet Current => _current ?? throw new InvalidOperationException("Rules are not loaded yet.");

    public bool IsLoaded => _current is not null;

    /// <summary>Errors of the last reload that was refused; empty when the last attempt succeeded.</summary>
    public IReadOnlyList<RuleError> LastErrors { get; private set; } = [];

    public DateTime? LastAttemptAt { get; private set; }

    /// <summary>Loads the set at start; an invalid set stops the service with the errors.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        var outcome = await ReloadAsync(ct);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException("The rule set in " + Path.GetFullPath(_options.Path) + " is invalid:" + Environment.NewLine
                + string.Join(Environment.NewLine, outcome.Errors.Select(e => "  " + e)));
        }

        if (_options.WatchForChanges)
        {
            _watcher = new DebouncedFileWatcher(Path.GetFullPath(_options.Path), "*.json", _options.ReloadDebounce, _clock, () => ReloadAsync(), _logger);
        }
    }

    /// <summary>Builds a new set from the files; swaps it in only if it is valid.</summary>
    public async Task<RuleSetLoadResult> ReloadAsync(CancellationToken ct = default)
    {
        await _reloadGate.WaitAsync(ct);
        try
        {
            var now = _clock.GetUtcNow().UtcDateTime;
            LastAttemptAt = now;
            var outcome = await RuleSetLoader.LoadAsync(_options.Path, now, _catalog, ct);
            if (!outcome.Succeeded)
            {
                LastErrors = outcome.Errors;
                _logger.LogError("Rule set refused; keeping {ActiveVersion}. {ErrorCount} error(s): {Errors}",
                    _current?.Version ?? "(none)", outcome.Errors.Count, string.Join(" | ", outcome.Errors));
                return outcome;
            }

            var set = outcome.RuleSet!;
            LastErrors = [];
            if (_current?.Version == set.Version)
            {
                return outcome;
            }

            _store.RecordActivation(new RuleSetRecord { Id = set.Version, Version = set.Version, ActivatedAt = now, Files = set.Files.ToDictionary() });
            Interlocked.Exchange(ref _current, set);
            _logger.LogInformation("Rule set {RuleSetVersion} active ({FileCount} files)", set.Version, set.Files.Count);
            return outcome;
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _reloadGate.Dispose();
    }
}
