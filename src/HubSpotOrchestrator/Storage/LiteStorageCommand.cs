using System.Globalization;
using HubSpotOrchestrator.Shared;
using LiteDB;
using LiteDB.Engine;

namespace HubSpotOrchestrator.Storage;

/// <summary>
/// <c>storage check</c> reads the data file through every index (what the service does on start);
/// <c>storage rebuild</c> keeps the file as it is beside itself and writes a rebuilt copy in its place. Both need the
/// service stopped: LiteDB opens the file exclusively.
/// </summary>
internal static class LiteStorageCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args);
        var verb = cli.Positional.FirstOrDefault() ?? throw new CliException("storage needs a verb: 'storage check' or 'storage rebuild' [--file PATH].");
        if (verb is not ("check" or "rebuild"))
        {
            throw new CliException($"unknown storage verb '{verb}': use 'storage check' or 'storage rebuild'.");
        }

        if (cli.Has("file") && string.IsNullOrEmpty(cli.Get("file")))
        {
            throw new CliException("--file needs a path (e.g. --file data/orchestrator.db).");
        }

        var path = cli.Get("file") is { Length: > 0 } file
            ? Path.GetFullPath(file)
            : SectionBinder.Bind<StorageOptions>(ServiceConfiguration.Load(args), StorageOptions.Section).DatabasePath;
        if (!File.Exists(path))
        {
            throw new CliException($"{path} does not exist (set --file or Storage:DataPath / Storage:DatabaseFile).");
        }

        using var held = LiteFileLock.Acquire(path, TimeSpan.Zero); // refuses while the service has the file open
        return verb == "check" ? Check(path, stdout, stderr) : Rebuild(path, stdout, stderr);
    }

    private static int Check(string path, TextWriter stdout, TextWriter stderr)
    {
        using var database = OpenForTool(path, autoRebuild: false);
        var result = LiteStoreCheck.Run(database);
        if (result.Healthy)
        {
            stdout.WriteLine($"{path}: healthy ({result.Collections} collections, {result.Documents:N0} documents, every index complete).");
            return 0;
        }

        foreach (var problem in result.Problems)
        {
            stderr.WriteLine($"{path}: {problem}");
        }

        stderr.WriteLine("The file is damaged: stop the service and run 'storage rebuild' (the damaged file is kept beside it).");
        return 1;
    }

    private static int Rebuild(string path, TextWriter stdout, TextWriter stderr)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var kept = $"{path}.damaged-{stamp}";
        File.Copy(path, kept);
        var log = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));
        if (File.Exists(log))
        {
            File.Copy(log, kept + ".log");
        }

        stdout.WriteLine($"kept the original as {kept}");
        using var database = OpenForTool(path, autoRebuild: true);
        database.Rebuild(new RebuildOptions { IncludeErrorReport = true });
        var errors = database.CollectionExists("_rebuild_errors") ? database.GetCollection("_rebuild_errors").Count() : 0;
        var result = LiteStoreCheck.Run(database);
        stdout.WriteLine($"rebuilt {path}: {result.Collections} collections, {result.Documents:N0} documents; {errors} unreadable pages or documents left out (listed in collection _rebuild_errors).");
        if (!result.Healthy)
        {
            result.Problems.ToList().ForEach(p => stderr.WriteLine($"{path}: still {p}"));
            return 1;
        }

        return 0;
    }

    private static LiteDatabase OpenForTool(string path, bool autoRebuild)
    {
        try
        {
            return new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, AutoRebuild = autoRebuild });
        }
        catch (IOException ex)
        {
            throw new CliException($"{path} cannot be opened ({ex.Message}); stop the service first, LiteDB opens the file exclusively.");
        }
        catch (LiteException ex)
        {
            throw new CliException($"{path} cannot be opened ({ex.Message}); run 'storage rebuild'.");
        }
    }
}
