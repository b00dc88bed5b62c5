using System.Security.Claims;
using HubSpotOrchestrator.People;

namespace HubSpotOrchestrator.Channels.Console;

/// <summary>The console's own cookie sign-in, separate from the API's bearer tokens.</summary>
internal static class ConsoleAuth
{
    public const string Scheme = "Console";
    public const string Policy = "console";
    public const string CookieName = "hso.console";
    public const string PersonIdClaim = "sub";
    public const string NameClaim = "name";

    public static ClaimsPrincipal Principal(Person person) =>
        new(new ClaimsIdentity([new Claim(PersonIdClaim, person.Id), new Claim(NameClaim, person.Name)], Scheme, NameClaim, "role"));

    /// <summary>The directory id the cookie was issued for.</summary>
    public static string PersonId(ClaimsPrincipal user) => user.FindFirstValue(PersonIdClaim) ?? "unknown";

    public static string DisplayName(ClaimsPrincipal user) => user.FindFirstValue(NameClaim) ?? PersonId(user);

    /// <summary>Only console paths on this host: anything else would make sign-in an open redirect.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith("/console/", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.Contains('\\', StringComparison.Ordinal) && !url.Contains("/signin", StringComparison.Ordinal)
            ? url
            : ConsoleSetup.InboxPath;
}
