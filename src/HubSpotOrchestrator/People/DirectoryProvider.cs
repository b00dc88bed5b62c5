using HubSpotOrchestrator.Shared;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.People;

/// <summary>
/// Holds the active people directory and replaces it atomically when the file changes and the new content validates.
/// An invalid change is refused: the last good directory stays active and the errors are exposed and logged.
/// </summary>
internal sealed class DirectoryProvider : IPeopleDirectory, IDisposable
{
    private readonly DirectoryOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<DirectoryProvider> _logger;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private DebouncedFileWatcher? _watcher;
    private DirectorySnapshot? _current;
    private IReadOnlyList<DirectoryError> _lastErrors = [];

    public DirectoryProvider(IOptions<DirectoryOptions> options, TimeProvider clock, ILogger<DirectoryProvider> logger)
    {
        _options = options.Value;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>The active snapshot; take it once to answer several questions from the same version.</summary>
    public DirectorySnapshot Current => Volatile.Read(ref _current) ?? throw new InvalidOperationException("The people directory is not loaded yet.");

    public bool IsLoaded => Volatile.Read(ref _current) is not null;

    /// <summary>Errors of the last refused reload, with file, line and person.</summary>
    public IReadOnlyList<DirectoryError> LastReloadErrors => Volatile.Read(ref _lastErrors);

    public DateTimeOffset? LastAttemptAt { get; private set; }

    public string Version => Current.Version;

    public IReadOnlyList<Person> People => Current.People;

    public IReadOnlyList<string> LastErrors => [.. LastReloadErrors.Select(e => e.ToString())];

    public Person? Find(string id) => Current.Find(id);

    public Person? FindByEmail(string email) => Current.FindByEmail(email);

    public Person? FindByTeamsAadObjectId(string aadObjectId) => Current.FindByTeamsAadObjectId(aadObjectId);

    public Person? FindByTeamsUserId(string teamsUserId) => Current.FindByTeamsUserId(teamsUserId);

    public Person? FindBySlackUserId(string slackUserId) => Current.FindBySlackUserId(slackUserId);

    public Person? FindByHubSpotOwnerId(string ownerId) => Current.FindByHubSpotOwnerId(ownerId);

    public Person? FindByHubSpotUserId(string userId) => Current.FindByHubSpotUserId(userId);

    public IReadOnlyList<Person> WithRole(string role) => Current.WithRole(role);

    public bool IsAbsent(Person person, DateTimeOffset at) => Current.IsAbsent(person, at);

    public IReadOnlyList<Person> ActingAs(Person actor, DateTimeOffset at) => Current.ActingAs(actor, at);

    /// <summary>Loads the directory at start; a missing or invalid file stops the service with the errors.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        var outcome = await ReloadAsync(ct);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"The people directory {Path.GetFullPath(_options.Path)} (set by {DirectoryOptions.Section}:Path) cannot be loaded:"
                + Environment.NewLine + string.Join(Environment.NewLine, outcome.Errors.Select(e => "  " + e)));
        }

        if (_options.WatchForChanges)
        {
            var full = Path.GetFullPath(_options.Path);
            _watcher = new DebouncedFileWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full), _options.ReloadDebounce, _clock, () => ReloadAsync(), _logger);
        }
    }

    /// <summary>Reads the file again; swaps the new directory in only if it is valid.</summary>
    public async Task<DirectoryLoadResult> ReloadAsync(CancellationToken ct = default)
    {
        await _reloadGate.WaitAsync(ct);
        try
        {
            LastAttemptAt = _clock.GetUtcNow();
            var outcome = await DirectoryLoader.LoadAsync(_options.Path, ct);
            if (!outcome.Succeeded)
            {
                Volatile.Write(ref _lastErrors, outcome.Errors);
                _logger.LogError("People directory change refused; keeping {ActiveVersion}. {ErrorCount} error(s): {Errors}",
                    _current?.Version ?? "(none)", outcome.Errors.Count, string.Join(" | ", outcome.Errors));
                return outcome;
            }

            var snapshot = outcome.Snapshot!;
            Volatile.Write(ref _lastErrors, []);
            if (_current?.Version == snapshot.Version)
            {
                return outcome;
            }

            Interlocked.Exchange(ref _current, snapshot);
            _logger.LogInformation("People directory {DirectoryVersion} active ({PeopleCount} people)", snapshot.Version, snapshot.People.Count);
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
