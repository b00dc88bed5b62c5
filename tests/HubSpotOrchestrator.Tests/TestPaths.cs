namespace HubSpotOrchestrator.Tests;

/// <summary>Locates the repository and the shared fixtures from wherever the test runner starts.</summary>
internal static class TestPaths
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

    /// <summary>The shared folder lies beside the repository (../shared).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Fixture(string relative) => Path.Combine(Shared, "fixtures", relative);

    public static string Rules => Path.Combine(RepoRoot, "rules");

    public static string Cards => Path.Combine(RepoRoot, "cards");

    public static string NewTempDir()
    {
        var path = Path.Combine(Path.GetTempPath(), "hso-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
