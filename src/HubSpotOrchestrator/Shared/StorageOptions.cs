using System.ComponentModel.DataAnnotations;

namespace HubSpotOrchestrator.Shared;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder for the embedded stores and the locally generated keys.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataPath { get; set; } = "data";

    /// <summary>LiteDB file; relative paths are resolved against <see cref="DataPath"/>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DatabaseFile { get; set; } = "orchestrator.db";

    /// <summary>
    /// On start, read every document of the data file through every index before serving, and refuse to start with
    /// instructions when it is damaged (takes about a second per 100,000 documents).
    /// </summary>
    public bool CheckOnStart { get; set; } = true;

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataPath, DatabaseFile));

    /// <remarks>Validation reads every property, so an empty DataPath (which it refuses) must not throw here first.</remarks>
    public string DataFolder => Path.GetFullPath(string.IsNullOrEmpty(DataPath) ? "." : DataPath);
}
