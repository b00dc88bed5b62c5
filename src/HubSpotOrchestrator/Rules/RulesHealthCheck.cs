using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HubSpotOrchestrator.Rules;

internal sealed class RulesHealthCheck(RuleSetProvider provider) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!provider.IsLoaded)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("rules not loaded"));
        }

        var data = new Dictionary<string, object> { ["version"] = provider.Current.Version };
        if (provider.LastErrors.Count > 0)
        {
            data["errors"] = provider.LastErrors.Select(e => e.ToString()).ToArray();
            return Task.FromResult(HealthCheckResult.Degraded($"last rule change refused; {provider.Current.Version} stays active", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"rule set {provider.Current.Version} active", data: data));
    }
}
