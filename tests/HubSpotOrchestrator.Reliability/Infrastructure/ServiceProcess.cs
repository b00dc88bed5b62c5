using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>
/// The real service as a separate OS process: <c>dotnet HubSpotOrchestrator.dll</c> from the service's build output,
/// configured on the command line (a temp data folder, a free loopback port, the repository's rules, cards and people
/// directory, a webhook secret chosen here, and whatever the test adds). It can be killed (SIGKILL), stopped
/// gracefully (SIGTERM) and started again on the same data folder and port. Its stdout and stderr, across every start,
/// go to one log file; <see cref="Tail"/> reads the end of it for failure messages. Every process started here is
/// killed when the test disposes it, and when the test host exits.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    public const string WebhookSecret = "reliability-client-secret-5f1c0e7a9b";
    public const string WebhookPath = "/webhooks/hubspot";

    private static readonly ConcurrentDictionary<int, Process> Live = new();
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private Process? _process;
    private int _starts;
    private volatile bool _exitExpected;

    static ServiceProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Live.Values)
            {
                TryKill(process);
            }
        };
    }

    public ServiceProcess(string dataDir, string logPath, IReadOnlyDictionary<string, string?>? settings = null)
    {
        DataDir = dataDir;
        LogPath = logPath;
        Port = FreePort();
        _settings = settings ?? new Dictionary<string, string?>();
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        _log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public string DataDir { get; }

    public string LogPath { get; }

    public int Port { get; private set; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The URL the service sees for webhooks, and so the one v3 signatures cover.</summary>
    public string WebhookUrl => BaseUrl + WebhookPath;

    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>How many times the process was started.</summary>
    public int Starts => _starts;

    /// <summary>Set when the process exited without being killed or stopped by the test: its exit code and the first line of a crash, if logged.</summary>
    public string? UnexpectedExit { get; private set; }

    /// <summary>The service's build output; <c>RELIABILITY_SERVICE_DLL</c> overrides it.</summary>
    public static string ServiceDll
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("RELIABILITY_SERVICE_DLL");
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return Path.GetFullPath(configured);
            }

            var build = typeof(ServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "ServiceBuild").Value!;
            return Path.Combine(TestPaths.RepoRoot, "src", "HubSpotOrchestrator", "bin", build, "HubSpotOrchestrator.dll");
        }
    }

    /// <summary>Extra service arguments from <c>RELIABILITY_SERVICE_ARGS</c> (whitespace-separated <c>--Key=Value</c>).</summary>
    public static IReadOnlyList<string> ExtraArgs =>
        (Environment.GetEnvironmentVariable("RELIABILITY_SERVICE_ARGS") ?? "").Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The command line's settings: the fixed ones, then the test's, then RELIABILITY_SERVICE_ARGS.</summary>
    public IReadOnlyList<string> Arguments()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Urls"] = BaseUrl,
            ["Storage:DataPath"] = DataDir,
            ["Rules:Path"] = TestPaths.Rules,
            ["Rules:WatchForChanges"] = "false",
            ["Cards:Path"] = TestPaths.Cards,
            ["Directory:Path"] = Path.Combine(TestPaths.RepoRoot, "config", "directory.json"),
            ["HubSpot:ClientSecret"] = WebhookSecret,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:HubSpotOrchestrator"] = "Information",
            ["Logging:LogLevel:HubSpotOrchestrator.Routing"] = "Warning", // one line per event otherwise
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging:Console:FormatterOptions:SingleLine"] = "true",
        };
        foreach (var (key, value) in _settings)
        {
            settings[key] = value;
        }

        return [.. settings.Select(s => $"--{s.Key}={s.Value}"), .. ExtraArgs];
    }

    /// <summary>Starts the process and waits until /health/live answers 200; throws with the log's tail if it exits or is not live in time.</summary>
    public async Task<TimeSpan> StartAsync(TimeSpan? timeout = null)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The service is already running (pid " + Pid + ").");
        }

        var dll = ServiceDll;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The service's build output {dll} does not exist: build src/HubSpotOrchestrator (dotnet build) or set RELIABILITY_SERVICE_DLL.");
        }

        for (var attempt = 1; ; attempt++)
        {
            var clock = Stopwatch.StartNew();
            Launch(dll, Arguments());
            var live = await Poll.UntilAsync(async () => !IsRunning || await IsLiveAsync(), timeout ?? TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));
            if (IsRunning && live)
            {
                return clock.Elapsed;
            }

            var exited = !IsRunning;
            var exitCode = exited ? _process!.ExitCode : (int?)null;
            TryKill(_process!);
            await Task.Delay(200); // let the output readers drain the pipes before the tail is read
            var tail = Tail(40);
            if (exited && _starts == 1 && attempt < 3 && tail.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                Port = FreePort(); // someone took the port between choosing and binding it
                continue;
            }

            throw new InvalidOperationException(exited
                ? $"The service exited with code {exitCode} during start #{_starts} instead of answering /health/live. Log {LogPath}, last lines:\n{tail}"
                : $"The service (start #{_starts}) did not answer /health/live within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds:0} s. Log {LogPath}, last lines:\n{tail}");
        }
    }

    /// <summary>SIGKILL (Process.Kill): no shutdown code runs, like a power cut of the process.</summary>
    public void Kill()
    {
        if (_process is null)
        {
            return;
        }

        var pid = _process.Id;
        _exitExpected = true;
        TryKill(_process);
        Note($"==== killed pid {pid} with SIGKILL at {Now()}");
    }

    /// <summary>SIGTERM and wait for a graceful exit; SIGKILL after <paramref name="timeout"/>. True when it exited by itself.</summary>
    public async Task<bool> StopAsync(TimeSpan? timeout = null)
    {
        if (_process is null || _process.HasExited)
        {
            return true;
        }

        var pid = _process.Id;
        _exitExpected = true;
        using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            await term!.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            Note($"==== pid {pid} stopped after SIGTERM with exit code {_process.ExitCode} at {Now()}");
            Live.TryRemove(pid, out _);
            return true;
        }
        catch (OperationCanceledException)
        {
            TryKill(_process);
            Note($"==== pid {pid} did not stop within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:0} s of SIGTERM: killed at {Now()}");
            return false;
        }
    }

    public async Task<bool> IsLiveAsync()
    {
        try
        {
            using var response = await _probe.GetAsync(new Uri(BaseUrl + "/health/live"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Resident set size from /proc/PID/status (VmRSS), in bytes; null when the process is not running.</summary>
    public long? RssBytes()
    {
        if (Pid is not { } pid)
        {
            return null;
        }

        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Mints an API token with the service's own <c>token</c> verb (the signing key lives in the data folder).</summary>
    public async Task<string> MintTokenAsync(string user, string roles)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDir,
        };
        foreach (var arg in (string[])[ServiceDll, "token", "--user", user, "--roles", roles, "--lifetime", "24h", $"--Storage:DataPath={DataDir}"])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(wait.Token);
        var token = (await stdout).Trim();
        return process.ExitCode == 0 && token.Length > 0
            ? token
            : throw new InvalidOperationException($"`token --user {user}` exited with {process.ExitCode}: {await stderr}");
    }

    /// <summary>The last <paramref name="lines"/> lines of the service's log (all starts).</summary>
    public string Tail(int lines = 60)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException ex)
        {
            return $"(log {LogPath} unreadable: {ex.Message})";
        }
    }

    /// <summary>Writes a marker line into the service's log (kills, faults), so the log reads as a timeline.</summary>
    public void Note(string line)
    {
        lock (_logGate)
        {
            _log.WriteLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            _exitExpected = true;
            TryKill(_process);
            Live.TryRemove(_process.Id, out _);
            _process.Dispose();
        }

        _probe.Dispose();
        await Task.Delay(100); // the output readers finish their last lines
        lock (_logGate)
        {
            _log.Dispose();
        }
    }

    private void Launch(string dll, IReadOnlyList<string> arguments)
    {
        if (_process is not null)
        {
            Live.TryRemove(_process.Id, out _);
            _process.Dispose();
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDir,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(e.Data, "");
        process.ErrorDataReceived += (_, e) => Write(e.Data, "[stderr] ");
        process.Exited += (_, _) => OnExited(process);
        _exitExpected = false;
        UnexpectedExit = null;
        _starts++;
        process.Start();
        Live[process.Id] = process;
        _process = process;
        Note($"==== start #{_starts}: pid {process.Id} at {Now()}: dotnet {dll} {string.Join(' ', arguments.Where(a => !a.Contains("Secret", StringComparison.OrdinalIgnoreCase)))}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void OnExited(Process process)
    {
        if (_exitExpected)
        {
            return;
        }

        Thread.Sleep(200); // the output readers write the last lines (the crash) first
        var crash = Tail(80).Split('\n').FirstOrDefault(l => l.Contains("Unhandled exception", StringComparison.Ordinal));
        UnexpectedExit = $"pid {process.Id} exited by itself with code {process.ExitCode}" + (crash is null ? "" : ": " + crash.Replace("[stderr] ", "", StringComparison.Ordinal));
        Note($"==== {UnexpectedExit} at {Now()}");
    }

    private void Write(string? line, string prefix)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            _log.WriteLine(prefix + line);
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private static string Now() => DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
