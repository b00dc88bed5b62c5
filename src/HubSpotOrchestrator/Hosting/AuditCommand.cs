using System.Net.Http.Headers;
using System.Net.Http.Json;
using HubSpotOrchestrator.Storage;

namespace HubSpotOrchestrator.Hosting;

/// <summary>An HTTP client for the running service with an admin token minted from the local key (or --token), for verbs that act through the API.</summary>
internal static class ServiceClient
{
    public static (HttpClient Http, string BaseUrl) Create(string[] args, string actor)
    {
        var cli = new CliArgs(args);
        var configuration = Cli.LoadConfiguration(args);
        var baseUrl = (cli.Get("url") ?? configuration["Urls"]?.Split(';')[0] ?? "http://localhost:3978").TrimEnd('/');
        var token = cli.Get("token") ?? TokenCommand.Issuer(configuration).Mint(actor, [Roles.Admin], TimeSpan.FromMinutes(5));
        var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (http, baseUrl);
    }
}

/// <summary><c>replay &lt;run id&gt;</c>: starts the run's workflow again from the first step as a new, linked run.</summary>
internal static class ReplayCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var runId = new CliArgs(args).Positional.FirstOrDefault() ?? throw new CliException("usage: replay <run id> [--url URL] [--token JWT]");
        var (http, baseUrl) = ServiceClient.Create(args, "cli-replay");
        using var _ = http;
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(new Uri($"/api/runs/{Uri.EscapeDataString(runId)}/replay", UriKind.RelativeOrAbsolute), null);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"could not reach {baseUrl} ({ex.Message}); is the service running?");
        }

        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            await stderr.WriteLineAsync($"replay refused ({(int)response.StatusCode}): {body}");
            return 1;
        }

        await stdout.WriteLineAsync(body);
        return 0;
    }
}

/// <summary><c>audit verify</c>: asks the running service to walk the hash chain (the store file is the service's own while it runs).</summary>
internal static class AuditCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.FirstOrDefault() != "verify")
        {
            throw new CliException("usage: audit verify [--url URL] [--token JWT]");
        }

        var (http, baseUrl) = ServiceClient.Create(args[1..], "audit-verify");
        using var _ = http;
        AuditVerification? result;
        try
        {
            result = await http.GetFromJsonAsync<AuditVerification>("/api/audit/verify");
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"could not ask {baseUrl} ({ex.Message}); is the service running?");
        }

        if (result is { Intact: true })
        {
            await stdout.WriteLineAsync($"audit log intact: {result.Entries} entries, hash chain verified");
            return 0;
        }

        await stderr.WriteLineAsync($"audit log BROKEN at entry {result?.BrokenAt}: {result?.Reason} ({result?.Entries} entries verified before it)");
        return 1;
    }
}
