namespace HubSpotOrchestrator.Reliability.Infrastructure;

/// <summary>
/// A small tmpfs mounted on a temp folder (<c>mount -t tmpfs -o size=…</c>, needs root / CAP_SYS_ADMIN), filled up to
/// the last byte on demand and freed again; unmounted on dispose (lazily if something still holds it).
/// </summary>
public sealed class TmpfsMount : IAsyncDisposable
{
    private readonly List<string> _fillers = [];

    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (e.g. "24m") on a new folder; throws with the reason when mounting is impossible.</summary>
    public static async Task<TmpfsMount> CreateAsync(string name, string size)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hso-reliability", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        if (!Shell.Exists("mount"))
        {
            throw new InvalidOperationException("The storage fault tests need `mount` (util-linux) to put the data folder on a small tmpfs; install util-linux.");
        }

        var result = await Shell.RunAsync("mount", "-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", path);
        if (!result.Ok)
        {
            throw new InvalidOperationException(
                $"`mount -t tmpfs -o size={size} tmpfs {path}` failed (exit {result.ExitCode}: {result.Output}). The storage fault tests need root "
                + $"(CAP_SYS_ADMIN) to mount a tmpfs; they ran as uid {Environment.GetEnvironmentVariable("UID") ?? Environment.UserName}. CI runs them as root.");
        }

        return new TmpfsMount(path);
    }

    /// <summary>Writes filler files until the file system refuses with "no space left"; the bytes written.</summary>
    public long Fill()
    {
        var chunk = new byte[256 * 1024];
        long written = 0;
        var filler = System.IO.Path.Combine(Path, $"filler-{_fillers.Count}.bin");
        _fillers.Add(filler);
        try
        {
            using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
            while (true)
            {
                stream.Write(chunk);
                written += chunk.Length;
            }
        }
        catch (IOException)
        {
            // ENOSPC: the file system is full; the chunk may have been written in part.
        }

        // The last partial chunk: fill the remaining bytes one small write at a time.
        try
        {
            using var stream = new FileStream(filler + ".tail", FileMode.Create, FileAccess.Write, FileShare.None, 1);
            _fillers.Add(filler + ".tail");
            var small = new byte[512];
            while (true)
            {
                stream.Write(small);
                written += small.Length;
            }
        }
        catch (IOException)
        {
            // Full to the last block.
        }

        return written;
    }

    /// <summary>Deletes the filler files: the space is back.</summary>
    public void Free()
    {
        foreach (var filler in _fillers)
        {
            File.Delete(filler);
        }

        _fillers.Clear();
    }

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public async ValueTask DisposeAsync()
    {
        try
        {
            Free();
        }
        catch (IOException)
        {
            // Unmounting discards them anyway.
        }

        var result = await Shell.RunAsync("umount", Path);
        if (!result.Ok)
        {
            await Shell.RunAsync("umount", "-l", Path);
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Lazily unmounted and still busy: /tmp is cleaned by the OS.
        }
    }
}
