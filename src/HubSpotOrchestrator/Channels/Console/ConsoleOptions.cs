using System.ComponentModel.DataAnnotations;

namespace HubSpotOrchestrator.Channels.Console;

/// <summary>Settings of the built-in web console, section <c>Console</c>.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>How long a console sign-in lasts without use (sliding).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00", ErrorMessage = "Console:SessionLifetime must be between 00:05:00 and 30.00:00:00.")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How many decided approvals the inbox lists under "Recent decisions".</summary>
    [Range(1, 200, ErrorMessage = "Console:RecentDecisions must be between 1 and 200.")]
    public int RecentDecisions { get; set; } = 20;
}
