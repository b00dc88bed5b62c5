using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Audit;

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
