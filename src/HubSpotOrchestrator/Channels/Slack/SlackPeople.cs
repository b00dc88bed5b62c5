using System.Collections.Concurrent;
using HubSpotOrchestrator.Integrations;
using HubSpotOrchestrator.People;

namespace HubSpotOrchestrator.Channels.Slack;

/// <summary>
/// Maps Slack users to directory people and back: the directory's slackUserId first, else the Slack profile email
/// (users.info / users.lookupByEmail, scopes users:read + users:read.email). Email answers are cached for an hour.
/// </summary>
public sealed class SlackPeople(IPeopleDirectory directory, SlackWebApiClient slack, TimeProvider clock, ILogger<SlackPeople> logger)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, (string? Email, DateTimeOffset Until)> _emails = new(StringComparer.Ordinal);

    /// <summary>The person behind <paramref name="slackUserId"/>, or null when neither the id nor the Slack email is in the directory.</summary>
    /// <param name="budget">How long a Slack lookup may take (interactive paths must answer Slack within 3 s); null waits for it.</param>
    public async Task<Person?> FindAsync(string slackUserId, TimeSpan? budget, CancellationToken cancellationToken)
    {
        if (directory.FindBySlackUserId(slackUserId) is { } person)
        {
            return person;
        }

        var email = await EmailOfAsync(slackUserId, budget, cancellationToken);
        return email is null ? null : directory.FindByEmail(email);
    }

    /// <summary>The Slack user id to DM <paramref name="person"/>: the directory's, else looked up by email; null when Slack has no such user.</summary>
    public async Task<string?> SlackIdOfAsync(Person person, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(person.SlackUserId))
        {
            return person.SlackUserId;
        }

        var user = await slack.LookupUserByEmailAsync(person.Email, cancellationToken);
        return user is { Deleted: false } ? user.Id : null;
    }

    private async Task<string?> EmailOfAsync(string slackUserId, TimeSpan? budget, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_emails.TryGetValue(slackUserId, out var cached) && cached.Until > now)
        {
            return cached.Email;
        }

        using var timeout = budget is { } b ? new CancellationTokenSource(b, clock) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var user = await slack.GetUserInfoAsync(slackUserId, linked.Token);
            var email = user.IsBot || user.Deleted ? null : user.Email;
            _emails[slackUserId] = (email, now + CacheFor);
            return email;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Slack users.info for {SlackUserId} took longer than {Budget}; treating the user as unknown", slackUserId, budget);
            return null;
        }
        catch (IntegrationException ex)
        {
            logger.LogWarning("Slack users.info for {SlackUserId} failed ({Kind}): {Message}", slackUserId, ex.Kind, ex.Message);
            return null;
        }
    }
}
