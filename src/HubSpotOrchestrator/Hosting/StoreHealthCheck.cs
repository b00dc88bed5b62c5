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
        #pragma warning disable CA1031 // a health check reports any failure of its probe as Unhealthy
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("store not writable: " + ex.Message));
        }
    }
}
