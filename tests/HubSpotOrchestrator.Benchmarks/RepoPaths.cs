using HubSpotOrchestrator.Testing;

namespace HubSpotOrchestrator.Benchmarks;

internal static class RepoPaths
{
    /// <summary>The repository root: the nearest folder above the binary holding HubSpotOrchestrator.sln (<see cref="TestPaths.RepoRoot"/>).</summary>
    public static string Root => TestPaths.RepoRoot;

    public static string Rules => TestPaths.Rules;

    /// <summary>The benchmark's own copy of the 100-event fixture, copied beside the binary.</summary>
    public static string MixedBatch => Path.Combine(AppContext.BaseDirectory, "data", "mixed-batch-100.json");

    public static string NewTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hso-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
