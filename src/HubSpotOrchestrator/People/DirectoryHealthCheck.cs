using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HubSpotOrchestrator.People;

/// <summary>Healthy with the active version; Degraded with the errors when the last change to the file was refused.</summary>
internal sealed class DirectoryHealthCheck(DirectoryProvider provider) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!provider.IsLoaded)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("people directory not loaded"));
        }

        var current = provider.Current;
        var data = new Dictionary<string, object> { ["version"] = current.Version, ["people"] = current.People.Count };
        var errors = provider.LastErrors;
        if (errors.Count > 0)
        {
            data["errors"] = errors.ToArray();
            return Task.FromResult(HealthCheckResult.Degraded($"last change to the people directory refused; {current.Version} stays active", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"people directory {current.Version} active", data: data));
    }
}
