using Hangfire;
using HubSpotOrchestrator.Approvals;

namespace HubSpotOrchestrator.Workflows.Engine;

/// <summary>An approval reached an outcome: the run waiting for it continues, in a job.</summary>
internal sealed class ApprovalRunResumer(IBackgroundJobClient jobs) : IApprovalListener
{
    public void Closed(Approval approval) =>
        jobs.Enqueue<RunExecutor>(x => x.ResumeAsync(approval.RunId, "approval:" + approval.Id, CancellationToken.None));
}
