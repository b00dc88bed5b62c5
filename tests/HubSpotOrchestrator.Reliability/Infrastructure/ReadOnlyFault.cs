using System.Diagnostics;
using System.Globalization;

namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>
/// Makes the database files read-only under a running process, as a file system remounted read-only after an I/O
/// error does: every write, flush, truncate or allocation on them fails with EROFS, on descriptors already open and
/// new ones alike; reads still work. Done with strace's fault injection attached to the process
/// (<c>strace -f -p PID -P FILE… -e inject=…:error=EROFS</c>), because the kernel refuses
/// <c>mount -o remount,ro</c> ("mount point is busy") while a process holds a file open for writing, and root ignores
/// file permissions and <c>chattr +i</c> on descriptors already open. Clearing the fault detaches strace (SIGINT); the
/// process continues untouched. Needs root (ptrace of a process that is not a child) and strace.
/// </summary>
public sealed class ReadOnlyFault : IAsyncDisposable
{
    private const string Calls = "write,pwrite64,writev,pwritev,pwritev2,fsync,fdatasync,ftruncate,fallocate,sync_file_range";
    private readonly Process _strace;

    private ReadOnlyFault(Process strace) => _strace = strace;

    public static async Task<ReadOnlyFault> StartAsync(int pid, IReadOnlyList<string> files, string logPath)
    {
        if (!Shell.Exists("strace"))
        {
            throw new InvalidOperationException("The read-only store test needs strace to inject EROFS into the service's writes: apt-get install strace (.ci/run installs it).");
        }

        var start = new ProcessStartInfo("strace")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-f", "-p", pid.ToString(CultureInfo.InvariantCulture), "-e", "trace=" + Calls, "-e", $"inject={Calls}:error=EROFS", "-o", logPath])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var file in files)
        {
            start.ArgumentList.Add("-P");
            start.ArgumentList.Add(file);
        }

        var strace = Process.Start(start)!;
        var attached = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var messages = new System.Collections.Concurrent.ConcurrentQueue<string>();
        strace.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                attached.TrySetResult("strace exited: " + string.Join(" | ", messages));
                return;
            }

            messages.Enqueue(e.Data);
            if (e.Data.Contains("attached", StringComparison.Ordinal))
            {
                attached.TrySetResult("");
            }
        };
        strace.BeginErrorReadLine();
        var first = await Task.WhenAny(attached.Task, Task.Delay(TimeSpan.FromSeconds(15)));
        var problem = first == attached.Task ? await attached.Task : "strace did not attach within 15 s: " + string.Join(" | ", messages);
        if (problem.Length > 0 || strace.HasExited)
        {
            Stop(strace);
            strace.Dispose();
            throw new InvalidOperationException($"Could not make the store read-only with strace on pid {pid}: {problem}. It needs root (CAP_SYS_PTRACE) and ptrace allowed.");
        }

        await Task.Delay(300); // strace attaches the remaining threads right after the first
        return new ReadOnlyFault(strace);
    }

    /// <summary>Detaches strace: writes succeed again.</summary>
    public async Task ClearAsync()
    {
        if (_strace.HasExited)
        {
            return;
        }

        await Shell.RunAsync("kill", "-INT", _strace.Id.ToString(CultureInfo.InvariantCulture));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _strace.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Stop(_strace); // the kernel detaches the tracee when its tracer dies
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ClearAsync();
        _strace.Dispose();
    }

    private static void Stop(Process process)
    {
        try
        {
            process.Kill();
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
