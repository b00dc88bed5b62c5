using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Workflows.Engine;

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
