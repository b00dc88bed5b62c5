namespace HubSpotOrchestrator.Benchmarks;

internal static class RepoPaths
{
    /// <summary>The repository root: the nearest folder above the binary holding HubSpotOrchestrator.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Rules => Path.Combine(Root, "rules");

    /// <summary>The benchmark's own copy of the 100-event fixture, copied beside the binary.</summary>
    public static string MixedBatch => Path.Combine(AppContext.BaseDirectory, "data", "mixed-batch-100.json");

    public static string NewTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hso-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HubSpotOrchestrator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("HubSpotOrchestrator.sln not found above " + AppContext.BaseDirectory);
    }
}
