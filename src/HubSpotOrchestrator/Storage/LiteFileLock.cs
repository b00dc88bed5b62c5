using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Storage;

/// <summary>
/// LiteDB 5 lets a second engine open a file that another engine (in this process or another) still has open, and
/// two engines on one file corrupt it. The data file's owner holds <c>&lt;file&gt;-lock</c> open exclusively for its
/// whole life (an OS lock: released even by kill -9). A service starting while the previous one is still closing
/// waits for it a little, then refuses to start with a clear message instead of opening the file twice.
/// </summary>
internal sealed class LiteFileLock : IDisposable
{
    private readonly FileStream _lock;

    private LiteFileLock(FileStream stream) => _lock = stream;

    public static LiteFileLock Acquire(string databasePath, TimeSpan wait)
    {
        var path = databasePath + "-lock";
        var deadline = Environment.TickCount64 + (long)wait.TotalMilliseconds;
        while (true)
        {
            try
            {
                if (!File.Exists(path))
                {
                    File.WriteAllBytes(path, []);
                }

                // Opened for reading only, so it never keeps the file system from turning read-only (an OS lock all the same).
                return new LiteFileLock(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(200);
            }
            catch (IOException ex)
            {
                throw new StartupProblemException(
                    $"The data file {databasePath} is in use by another orchestrator process (its lock {path} is held): stop that process, or give this one its own Storage:DataPath.", ex);
            }
        }
    }

    public void Dispose() => _lock.Dispose();
}
