using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Rules;

/// <summary><c>rules lint [dir]</c>: what ops run while editing rule files (<c>rules test</c> lives with routing).</summary>
internal static class RulesCommand
{
    public const string Usage = "usage: rules lint [dir] | rules test --event <file> [--rules dir] [--deal-stage STAGE]";

    public static async Task<int> RunAsync(string[] args, RuleWorkflowCatalog catalog, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args.Skip(1));
        return args.FirstOrDefault() switch
        {
            "lint" => await LintAsync(cli.Positional.FirstOrDefault() ?? DefaultDir(args), catalog, stdout, stderr),
            _ => throw new CliException(Usage),
        };
    }

    public static async Task<int> LintAsync(string dir, RuleWorkflowCatalog catalog, TextWriter stdout, TextWriter stderr)
    {
        var result = await RuleSetLoader.LoadAsync(dir, DateTime.UtcNow, catalog);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                await stderr.WriteLineAsync(error.ToString());
            }

            await stderr.WriteLineAsync($"{result.Errors.Count} error(s) in {Path.GetFullPath(dir)}");
            return 1;
        }

        var set = result.RuleSet!;
        foreach (var (name, workflow) in set.Workflows)
        {
            await stdout.WriteLineAsync($"{set.WorkflowFiles[name]}: workflow {name}, {workflow.Rules?.Count() ?? 0} rules, compiled");
        }

        await stdout.WriteLineAsync($"rules OK: version {set.Version}");
        return 0;
    }

    public static string DefaultDir(string[] args) =>
        SectionBinder.Bind<RulesOptions>(ServiceConfiguration.Load(args), RulesOptions.Section).Path;
}
