using System.ComponentModel.DataAnnotations;

namespace HubSpotOrchestrator.People;

public sealed class DirectoryOptions
{
    public const string Section = "Directory";

    /// <summary>The people directory file, relative to the current directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "config/directory.json";

    /// <summary>Reload the directory when the file changes.</summary>
    public bool WatchForChanges { get; set; } = true;

    /// <summary>How long to wait for a burst of file changes to settle before reloading.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(300);
}
