using System.Globalization;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>
/// Where a run leaves its evidence: the service logs, CSV samples and summaries. <c>RELIABILITY_OUTPUT</c> names the
/// folder; by default tests/HubSpotOrchestrator.Reliability/TestResults/reliability-&lt;UTC time&gt;/ (ignored by git).
/// </summary>
public static class RunOutput
{
    private static readonly Lazy<string> RootFolder = new(() =>
    {
        var configured = Environment.GetEnvironmentVariable("RELIABILITY_OUTPUT");
        var root = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(TestPaths.RepoRoot, "tests", "HubSpotOrchestrator.Reliability", "TestResults",
                "reliability-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture))
            : Path.GetFullPath(configured);
        Directory.CreateDirectory(root);
        return root;
    });

    public static string Root => RootFolder.Value;

    /// <summary>A folder for one test, created if missing.</summary>
    public static string For(string test)
    {
        var path = Path.Combine(Root, test);
        Directory.CreateDirectory(path);
        return path;
    }
}
