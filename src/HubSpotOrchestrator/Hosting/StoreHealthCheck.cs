using HubSpotOrchestrator.Shared;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HubSpotOrchestrator.Hosting;

internal sealed class StoreHealthCheck(IStoreHealth store, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            store.Probe(clock.GetUtcNow().UtcDateTime);
            return Task.FromResult(HealthCheckResult.Healthy("store writable"));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("store not writable: " + ex.Message));
        }
    }
}
