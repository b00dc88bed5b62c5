using System.Security.Claims;
using HubSpotOrchestrator.People;

namespace HubSpotOrchestrator.Api;

internal static class ApiActor
{
    /// <summary>The caller's name from the token ("sub", else the name claim).</summary>
    public static string Name(ClaimsPrincipal user) =>
        user.FindFirstValue("sub") ?? user.Identity?.Name ?? user.FindFirstValue("preferred_username") ?? "unknown";

    /// <summary>The directory person the caller is: by id, else by email.</summary>
    public static Person? Person(ClaimsPrincipal user, IPeopleDirectory directory)
    {
        var name = Name(user);
        return directory.Find(name) ?? directory.FindByEmail(name)
            ?? (user.FindFirstValue("email") is { } email ? directory.FindByEmail(email) : null)
            ?? (user.FindFirstValue("preferred_username") is { } upn ? directory.FindByEmail(upn) : null);
    }
}
