using System.Diagnostics;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Testing;

namespace HubSpotOrchestrator.Tests.Infrastructure;

/// <summary>Runs the reference npm package adaptivecards-templating 2.3.1 (oracle/expand.js) under Node.</summary>
internal static class NodeOracle
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Folder => Path.Combine(TestPaths.RepoRoot, "tests", "HubSpotOrchestrator.Tests", "Cards", "oracle");

    /// <summary>Expands each (template, data) pair; returns per item either the result or the reference's error.</summary>
    public static async Task<JsonArray> ExpandAsync(IEnumerable<(JsonNode Template, JsonNode? Data)> items)
    {
        await EnsureInstalledAsync();
        var input = new JsonArray([.. items.Select(i => (JsonNode)new JsonObject { ["template"] = i.Template.DeepClone(), ["data"] = i.Data?.DeepClone() })]);
        var (code, stdout, stderr) = await RunAsync("node", "expand.js", input.ToJsonString());
        Assert.True(code == 0, "node expand.js failed: " + stderr);
        return JsonNode.Parse(stdout)!.AsArray();
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(Folder, "node_modules", "adaptivecards-templating")))
            {
                return;
            }

            var (code, _, stderr) = await RunAsync("npm", "ci --no-audit --no-fund", null);
            Assert.True(code == 0, "npm ci failed in " + Folder + ": " + stderr);
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, string arguments, string? stdin)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // AEL formats with the process locale (Intl); pin it to en-US as our implementation documents.
        start.Environment["LC_ALL"] = "C.UTF-8";
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["TZ"] = "UTC";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + file);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
