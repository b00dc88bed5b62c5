using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Channels;

/// <summary>An exception prompts the people who can fix it: everyone with the ops role (admins if there are none).</summary>
internal sealed class ExceptionPrompter(PromptDispatcher prompts, IPeopleDirectory directory) : IRunObserver
{
    public Task RunEndedAsync(Run run, CancellationToken ct) => Task.CompletedTask;

    public void ExceptionRaised(Run run, ExceptionRecord exception)
    {
        var fixers = directory.WithRole("ops");
        foreach (var person in fixers.Count > 0 ? fixers : directory.WithRole("admin"))
        {
            prompts.Raise(new Prompt
            {
                Id = $"{exception.Id}:{person.Id}",
                Kind = PromptKind.Exception,
                RecipientId = person.Id,
                ExceptionId = exception.Id,
                RunId = run.Id,
                CorrelationId = run.CorrelationId,
                Title = $"{run.Workflow} needs a fix: {exception.Step}",
                Text = exception.Error,
            });
        }
    }
}
