namespace HubSpotOrchestrator.People;

/// <summary><c>directory lint [file]</c>; arguments start after the word "directory".</summary>
public static class DirectoryCommand
{
    private const string Usage = "usage: directory lint [file]   (default: config/directory.json)";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args is not ["lint", ..] || args.Length > 2)
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        var file = args.Length == 2 ? args[1] : new DirectoryOptions().Path;
        var outcome = await DirectoryLoader.LoadAsync(file);
        if (!outcome.Succeeded)
        {
            foreach (var error in outcome.Errors)
            {
                await stderr.WriteLineAsync(error.ToString());
            }

            await stderr.WriteLineAsync($"{outcome.Errors.Count} people directory error(s) in {file}");
            return 1;
        }

        var snapshot = outcome.Snapshot!;
        await stdout.WriteLineAsync($"directory OK: {snapshot.People.Count} people, version {snapshot.Version}");
        return 0;
    }
}
