using HubSpotOrchestrator.Audit;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Routing;
using HubSpotOrchestrator.Rules;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Hosting;

/// <summary>One executable, several verbs: <c>serve</c> (default) and the operator tools.</summary>
internal static class Cli
{
    public const string Usage = """
        Usage: dotnet run --project src/HubSpotOrchestrator -- <verb> [options]

          serve                                   run the service (default)
          simulate <file | scenario> [--url URL] [--keep-ids] [--token JWT]
                                                  sign a HubSpot webhook batch, post it, and show what happened
          token --user NAME [--roles a,b] [--lifetime 8h]
                                                  mint an API bearer token with the local signing key
          rules lint [dir]                        validate and compile every rule file
          rules test --event <file> [--rules dir] [--deal-stage STAGE]
                                                  dry run: which routing rules fire; writes nothing
          cards lint [dir]                        check every card template against its sample data
          cards render <template> --data <json> [--channel teams|slack|html]
                                                  print a rendered card
          directory lint [file]                   validate the people directory
          audit verify [--url URL]                verify the audit log's hash chain (asks the running service)
          replay <run id> [--url URL]             start a run's workflow again as a new linked run
          storage check [--file PATH]             read the data file through every index (service stopped)
          storage rebuild [--file PATH]           keep the damaged data file beside it and write a rebuilt copy
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await RunVerbAsync(args);
        }
        catch (Exception ex) when (ConfigurationErrors.OwnsProcess && ConfigurationErrors.Describe(ex) is { Count: > 0 } problems)
        {
            return ConfigurationErrors.Report(problems, Console.Error);
        }
    }

    private static async Task<int> RunVerbAsync(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-') || args[0] == "serve")
        {
            var serveArgs = args.Length > 0 && args[0] == "serve" ? args[1..] : args;
            await ServiceApp.Build(serveArgs).RunAsync();
            return 0;
        }

        var stdout = Console.Out;
        var stderr = Console.Error;
        try
        {
            return args[0] switch
            {
                "rules" when args.Length > 1 && args[1] == "test" => await RoutingTestCommand.RunAsync(args[1..], RuleWorkflowKinds.Catalog(), stdout, stderr),
                "rules" => await RulesCommand.RunAsync(args[1..], RuleWorkflowKinds.Catalog(), stdout, stderr),
                "token" => TokenCommand.Run(args[1..], stdout, stderr),
                "simulate" => await Webhooks.SimulateCommand.RunAsync(args[1..], stdout, stderr),
                "cards" => await Cards.CardsCommand.RunAsync(args[1..], stdout, stderr),
                "directory" => await People.DirectoryCommand.RunAsync(args[1..], stdout, stderr),
                "audit" => await AuditCommand.RunAsync(args[1..], stdout, stderr),
                "storage" => Storage.LiteStorageCommand.Run(args[1..], stdout, stderr),
                "replay" => await ReplayCommand.RunAsync(args[1..], stdout, stderr),
                "help" or "--help" or "-h" => Help(stdout),
                _ => Unknown(args[0], stderr),
            };
        }
        catch (CliException ex)
        {
            await stderr.WriteLineAsync("error: " + ex.Message);
            return 2;
        }
    }

    private static int Help(TextWriter stdout)
    {
        stdout.WriteLine(Usage);
        return 0;
    }

    private static int Unknown(string verb, TextWriter stderr)
    {
        stderr.WriteLine($"error: unknown verb '{verb}'.");
        stderr.WriteLine(Usage);
        return 2;
    }
}
