namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>A data folder under /tmp/hso-reliability, deleted on dispose unless RELIABILITY_KEEP_DATA=1.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string name)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hso-reliability", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public static bool Keep => Environment.GetEnvironmentVariable("RELIABILITY_KEEP_DATA") == "1";

    /// <summary>Total size of the files in the folder (the stores, their journals, the generated keys).</summary>
    public static long SizeOf(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;

    public void Dispose()
    {
        if (Keep)
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A mount still busy or a file still open: the OS cleans /tmp.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
