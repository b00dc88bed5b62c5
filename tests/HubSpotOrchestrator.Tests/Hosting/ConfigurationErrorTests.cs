using System.Diagnostics;
using System.Text.RegularExpressions;
using HubSpotOrchestrator.Hosting;
using HubSpotOrchestrator.Testing;
using HubSpotOrchestrator.Webhooks;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Tests.Hosting;

/// <summary>
/// Invalid settings end the real service process (and the CLI verbs) with exit code 1 and one "error: …" line per
/// problem on stderr naming the key, without a stack trace. Each test runs HubSpotOrchestrator.dll (built beside the
/// test binaries) in its own temp folder, with its own data folder, so nothing is written into the repository.
/// </summary>
public sealed partial class ConfigurationErrorTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task HalfConfiguredSlack_NamesTheMissingKey()
    {
        var result = await RunAsync([], new() { ["Slack__SigningSecret"] = "x" });

        var line = AssertConfigurationErrors(result, "Slack:BotToken");
        Assert.Contains("Slack:SigningSecret", line, StringComparison.Ordinal);
        Assert.Contains("Slack__BotToken", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HalfConfiguredTeams_NamesTheMissingKey()
    {
        var result = await RunAsync([], new() { ["Teams__AppId"] = "00000000-0000-0000-0000-000000000001" });

        AssertConfigurationErrors(result, "Teams:AppPassword");
    }

    [Fact]
    public async Task HalfConfiguredHubSpotOAuth_NamesTheMissingKeys()
    {
        var result = await RunAsync([], new() { ["HubSpot__OAuth__ClientId"] = "client" });

        var line = AssertConfigurationErrors(result, "HubSpot:OAuth:ClientSecret");
        Assert.Contains("HubSpot:OAuth:RefreshToken", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Webhooks__MaxBodyBytes", "abc", "Webhooks:MaxBodyBytes")]
    [InlineData("Webhooks__MaxBodyBytes", "99999999999", "Webhooks:MaxBodyBytes")]
    [InlineData("Jobs__RunServer", "maybe", "Jobs:RunServer")]
    public async Task UnconvertibleValue_NamesTheKey(string variable, string value, string key)
    {
        var result = await RunAsync([], new() { [variable] = value });

        var line = AssertConfigurationErrors(result, key);
        Assert.Contains($"'{value}'", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Workflows__LeaseDuration", "5min", "Workflows:LeaseDuration")]
    [InlineData("Jobs__QueuePollInterval", "fast", "Jobs:QueuePollInterval")]
    [InlineData("Console__SessionLifetime", "00:01:00", "Console:SessionLifetime")]
    [InlineData("Webhooks__RedispatchAfter", "30", "Webhooks:RedispatchAfter")]
    [InlineData("Jobs__InvisibilityTimeout", "00:00:01", "Jobs:InvisibilityTimeout")]
    public async Task InvalidTimeSpan_NamesTheKey(string variable, string value, string key)
    {
        var result = await RunAsync([], new() { [variable] = value });

        AssertConfigurationErrors(result, key);
    }

    [Fact]
    public async Task NodeNameThatCannotBeAPartOfALeaseOwner_NamesTheKey()
    {
        var result = await RunAsync([], new() { ["Workflows__NodeName"] = "rack/4" });

        AssertConfigurationErrors(result, "Workflows:NodeName");
    }

    [Fact]
    public async Task EmptyRequiredSetting_NamesTheKey()
    {
        var result = await RunAsync([], new() { ["Storage__DataPath"] = "" });

        AssertConfigurationErrors(result, "Storage:DataPath");
    }

    [Fact]
    public async Task SeveralProblems_OneLineEach()
    {
        var result = await RunAsync(["serve"], new()
        {
            ["Slack__BotToken"] = "xoxb-1",
            ["Teams__AppPassword"] = "secret",
            ["Workflows__MaxAttempts"] = "0",
        });

        AssertConfigurationErrors(result, "Slack:SigningSecret", "Teams:AppId", "Workflows:MaxAttempts");
    }

    [Theory]
    [InlineData("token --user alice", "Storage__DataPath", "", "Storage:DataPath")]
    [InlineData("simulate deal-closedwon --url http://127.0.0.1:9", "HubSpot__AllowLegacySignatures", "maybe", "HubSpot:AllowLegacySignatures")]
    [InlineData("rules lint", "Rules__ReloadDebounce", "soon", "Rules:ReloadDebounce")]
    [InlineData("audit verify --url http://127.0.0.1:9", "Storage__DatabaseFile", "", "Storage:DatabaseFile")]
    public async Task CliVerb_WithABadSetting_NamesTheKey(string verb, string variable, string value, string key)
    {
        var result = await RunAsync(verb.Split(' '), new() { [variable] = value });

        AssertConfigurationErrors(result, key);
    }

    [Fact]
    public async Task CliVerb_WithValidSettings_Succeeds()
    {
        var result = await RunAsync(["rules", "lint"], new());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("rules OK", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherExceptions_AreNotConfigurationErrors()
    {
        Assert.Null(ConfigurationErrors.Describe(new InvalidOperationException("Sequence contains no elements")));
        Assert.Null(ConfigurationErrors.Describe(new ArgumentException("boom")));
        Assert.Null(ConfigurationErrors.Describe(new AggregateException(
            new OptionsValidationException("", typeof(object), ["X:Y is wrong."]),
            #pragma warning disable CA2201 // a runtime exception, never thrown: the test checks such faults are not taken for configuration errors
            new NullReferenceException())));
            #pragma warning restore CA2201
    }

    [Fact]
    public void DataAnnotationFailures_AreNamedBySectionAndKey()
    {
        var failure = "DataAnnotation validation failed for 'WebhookOptions' members: 'MaxBodyBytes' with the error: 'The field MaxBodyBytes must be between 1024 and 67108864.'.";

        var lines = ConfigurationErrors.Describe(new OptionsValidationException("", typeof(HubSpotOrchestrator.Webhooks.WebhookOptions), [failure]));

        var line = Assert.Single(lines!);
        Assert.Equal("Webhooks:MaxBodyBytes must be between 1024 and 67108864 (environment variable Webhooks__MaxBodyBytes).", line);
    }

    /// <summary>Exit code 1, stderr exactly one "error:" line per expected key, no stack trace anywhere, no data folder created.</summary>
    private static string AssertConfigurationErrors(ProcessResult result, params string[] keys)
    {
        Assert.True(result.ExitCode == ConfigurationErrors.ExitCode, result.ToString());
        Assert.DoesNotMatch(StackFrame(), result.Stderr);
        Assert.DoesNotMatch(StackFrame(), result.Stdout);
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
        Assert.False(result.DataFolderCreated, "a configuration error must stop the service before it creates anything\n" + result);

        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == keys.Length, result.ToString());
        Assert.All(lines, l => Assert.StartsWith("error: ", l, StringComparison.Ordinal));
        foreach (var key in keys)
        {
            Assert.True(lines.Any(l => l.Contains(key, StringComparison.Ordinal)), $"no line names {key}\n{result}");
        }

        return lines.First(l => l.Contains(keys[0], StringComparison.Ordinal));
    }

    [GeneratedRegex(@"(?m)^\s+at ")]
    private static partial Regex StackFrame();

    private sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, bool DataFolderCreated)
    {
        public override string ToString() => $"exit code {ExitCode}, data folder created: {DataFolderCreated}\n--- stderr\n{Stderr}\n--- stdout\n{Stdout}";
    }

    /// <summary>Runs the service's dll with the given arguments and settings in a fresh temp folder (working directory and data folder).</summary>
    private static async Task<ProcessResult> RunAsync(string[] args, Dictionary<string, string> settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "HubSpotOrchestrator.dll");
        Assert.True(File.Exists(dll), dll + " not found beside the tests");
        var work = TestPaths.NewTempDir();
        try
        {
            var start = new ProcessStartInfo(DotnetHost())
            {
                WorkingDirectory = work,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(dll);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            // Settings the developer's shell may carry (Slack__BotToken …) must not leak into the child.
            foreach (var inherited in start.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal) && !k.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(inherited);
            }

            start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
            start.Environment["Urls"] = "http://127.0.0.1:0";
            start.Environment["Storage__DataPath"] = Path.Combine(work, "data");
            start.Environment["Rules__Path"] = TestPaths.Rules;
            start.Environment["Cards__Path"] = TestPaths.Cards;
            start.Environment["Directory__Path"] = Path.Combine(TestPaths.RepoRoot, "config", "directory.json");
            start.Environment["Directory__WatchForChanges"] = "false";
            start.Environment["Rules__WatchForChanges"] = "false";
            foreach (var (name, value) in settings)
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + start.FileName);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(ExitTimeout))
            {
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                    Assert.Fail($"the process did not exit within {ExitTimeout.TotalSeconds} s (it probably started):\n{await stderr}\n{await stdout}");
                }
            }

            return new ProcessResult(process.ExitCode, await stdout, await stderr, Directory.Exists(Path.Combine(work, "data")));
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
