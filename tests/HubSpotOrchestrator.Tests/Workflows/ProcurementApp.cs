using System.Net.Http.Json;
using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Storage;
using HubSpotOrchestrator.Tests.Integrations.HubSpot;
using HubSpotOrchestrator.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace HubSpotOrchestrator.Tests.Workflows;

/// <summary>The whole service on a fake clock, its HubSpot client pointed at a stateful loopback HubSpot that counts calls.</summary>
public sealed class ProcurementApp : OrchestratorFactory
{
    private FakeHubSpotServer? _hubspot;

    public ProcurementApp(DateTimeOffset? start = null)
    {
        Clock = new FakeTimeProvider(start ?? DateTimeOffset.UtcNow);
        Settings["HubSpot:AccessToken"] = "test-token";
        Settings["HubSpot:AllowInsecureHttp"] = "true";
        Settings["HubSpot:RequestTimeout"] = "00:05:00";
        Settings["Workflows:RetryBaseDelay"] = "00:00:00.050";
        Settings["Workflows:RetryMaxDelay"] = "00:00:00.200";
        Settings["Workflows:MaxAttempts"] = "2";
    }

    public FakeTimeProvider Clock { get; }

    internal FakeHubSpotServer HubSpot => _hubspot ?? throw new InvalidOperationException("Call StartAsync first.");

    public async Task StartAsync()
    {
        _hubspot = await FakeHubSpotServer.StartAsync(Clock);
        _hubspot.DefineProperties("deals", "approval_status", "approved_by", "approval_decided_at", "contract_term_months", "non_standard_terms", "deal_currency_code");
        Settings["HubSpot:BaseUrl"] = _hubspot.BaseUrl.ToString();
        _ = CreateClient();
    }

    protected override void ConfigureTestServices(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));

    /// <summary>Sets deal properties on the loopback HubSpot as a person in HubSpot would.</summary>
    public async Task SetDealAsync(string id, Dictionary<string, string?> properties)
    {
        using var http = new HttpClient { BaseAddress = HubSpot.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", HubSpot.AccessToken);
        using var response = await http.PatchAsJsonAsync($"crm/v3/objects/deals/{id}", new { properties });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A run as routing creates it, started through the engine.</summary>
    public Run StartRun(long dealId, string triggeredBy = "userId:77", DateTime? occurredAt = null)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var run = new Run
        {
            Id = "run_" + Guid.NewGuid().ToString("N")[..20],
            Workflow = WorkflowNames.ProcurementApproval,
            Status = RunStatus.Pending,
            SubjectType = "deal",
            SubjectId = dealId,
            PortalId = 62515,
            CorrelationId = "test-" + Guid.NewGuid().ToString("N")[..8],
            EventKey = "test",
            RuleSetVersion = "test",
            OccurredAt = occurredAt ?? now,
            CreatedAt = now,
            UpdatedAt = now,
            TriggeredBy = triggeredBy,
        };
        Service<IRunStore>().TryCreate(run);
        Service<IRunStarter>().Start(run.Id);
        return run;
    }

    public Run Run(string id) => Service<IRunStore>().Get(id)!;

    public Approval? ApprovalFor(string runId) => Service<IApprovalStore>().Get(ApprovalService.IdForRun(runId));

    public Task WaitForAsync(string runId, RunStatus status) =>
        Eventually.TrueAsync(() => Run(runId).Status == status, () => $"run {runId} {status} (is {Run(runId).Status}: {Run(runId).StatusReason})");

    public Task WaitForApprovalAsync(string runId) =>
        Eventually.TrueAsync(() => Run(runId).Status == RunStatus.Waiting && ApprovalFor(runId) is not null, () => $"run {runId} waiting for its approval (is {Run(runId).Status}: {Run(runId).StatusReason})");

    public DecisionOutcome Decide(string runId, string person, string verb = "approve", string? comment = null) =>
        Service<ApprovalService>().Decide(ApprovalService.IdForRun(runId), person, verb, comment, "test");

    public int DealPatches(string id) => HubSpot.Count("PATCH", $"/crm/v3/objects/deals/{id}");

    public int NoteCreates() => HubSpot.Requests.Count(r => r.Method == "POST" && r.Path == "/crm/v3/objects/notes");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _hubspot?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
