using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HubSpotOrchestrator.Hosting;

internal sealed class JobServerHealthCheck(JobStorage storage, IConfiguration configuration, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var servers = storage.GetMonitoringApi().Servers();
            var now = clock.GetUtcNow().UtcDateTime;
            var alive = servers.Count(s => s.Heartbeat is { } beat && now - beat < TimeSpan.FromMinutes(1));
            var runsHere = configuration.GetValue("Jobs:RunServer", true);
            if (alive == 0 && runsHere)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("no job server has sent a heartbeat in the last minute"));
            }

            return Task.FromResult(alive == 0
                ? HealthCheckResult.Degraded("no job server alive (Jobs:RunServer is off here)")
                : HealthCheckResult.Healthy($"{alive} job server(s) alive"));
        }
        #pragma warning disable CA1031 // a health check reports any failure of its probe as Unhealthy
        catch (Exception ex)
        #pragma warning restore CA1031
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("job storage unavailable: " + ex.Message));
        }
    }
}
