using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Workflows.Engine;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.People;

/// <summary><c>token --user alice --roles admin,approver --lifetime 8h</c>: prints a bearer token for the JSON API.</summary>
internal static class TokenCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args);
        var user = cli.Get("user") ?? throw new CliException("token needs --user NAME (e.g. --user alice@example.com).");
        var roles = (cli.Get("roles") ?? Roles.Viewer).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var lifetime = ParseLifetime(cli.Get("lifetime") ?? "8h");
        var configuration = ServiceConfiguration.Load(args);
        if (!string.IsNullOrEmpty(configuration["Auth:Authority"]))
        {
            stderr.WriteLine("warning: Auth:Authority is set, so the service accepts tokens from that authority only; this token will be refused.");
        }

        stdout.WriteLine(Issuer(configuration).Mint(user, roles, lifetime));
        return 0;
    }

    public static TokenIssuer Issuer(IConfiguration configuration)
    {
        var storage = SectionBinder.Bind<StorageOptions>(configuration, StorageOptions.Section);
        var auth = SectionBinder.Bind<ApiAuthOptions>(configuration, ApiAuthOptions.Section);
        return new TokenIssuer(new LocalKeys(Options.Create(storage)), Options.Create(auth), TimeProvider.System);
    }

    public static TimeSpan ParseLifetime(string text) =>
        Durations.TryParse(text, out var span) ? span : throw new CliException($"--lifetime '{text}' is not a duration like 90m, 8h, 7d or 01:30:00.");
}
