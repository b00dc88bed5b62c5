using System.Diagnostics;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>What a system command did: its exit code and its stdout and stderr together.</summary>
public sealed record ShellResult(int ExitCode, string Output)
{
    public bool Ok => ExitCode == 0;
}

/// <summary>Runs a system command (mount, umount, strace, kill) and returns its exit code and output.</summary>
public static class Shell
{
    public static async Task<ShellResult> RunAsync(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return new ShellResult(process.ExitCode, ((await stdout) + (await stderr)).Trim());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new ShellResult(127, $"{command}: {ex.Message}");
        }
    }

    /// <summary>Whether <paramref name="command"/> is on PATH.</summary>
    public static bool Exists(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, command)));
}
