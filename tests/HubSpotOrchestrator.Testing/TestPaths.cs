namespace HubSpotOrchestrator.Testing;

/// <summary>
/// Locates the repository and the test fixtures (kept in the repository) from wherever the test runner or the benchmark
/// starts: the nearest folder above the binary that holds HubSpotOrchestrator.sln.
/// </summary>
public static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HubSpotOrchestrator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("HubSpotOrchestrator.sln not found above " + AppContext.BaseDirectory);
    });

    public static string RepoRoot => Root.Value;

    /// <summary>Sample payloads and signature vectors, under tests/HubSpotOrchestrator.Tests/Fixtures.</summary>
    public static string Fixture(string relative) => Path.Combine(RepoRoot, "tests", "HubSpotOrchestrator.Tests", "Fixtures", relative);

    public static string Rules => Path.Combine(RepoRoot, "rules");

    public static string Cards => Path.Combine(RepoRoot, "cards");

    public static string NewTempDir()
    {
        var path = Path.Combine(Path.GetTempPath(), "hso-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
