using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace HubSpotOrchestrator.Channels.Console;

/// <summary>What the last action did, shown once on the inbox after the post-redirect-get.</summary>
internal sealed record FlashMessage(ChatActionStatus Status, string Message, string? ApprovalId, string? ExceptionId, string PersonId);

/// <summary>Carries a <see cref="FlashMessage"/> across the redirect in a short-lived, encrypted cookie.</summary>
internal sealed class ConsoleFlash(IDataProtectionProvider protection)
{
    public const string CookieName = "hso.console.flash";

    private readonly IDataProtector _protector = protection.CreateProtector("HubSpotOrchestrator.Console.Flash");

    public void Set(HttpContext context, FlashMessage message) =>
        context.Response.Cookies.Append(CookieName, _protector.Protect(JsonSerializer.Serialize(message)), Options(context));

    /// <summary>Reads and clears the flash; null when absent, unreadable or issued to someone else.</summary>
    public FlashMessage? Take(HttpContext context, string personId)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        context.Response.Cookies.Delete(CookieName, Options(context));
        try
        {
            var message = JsonSerializer.Deserialize<FlashMessage>(_protector.Unprotect(value));
            return message is not null && string.Equals(message.PersonId, personId, StringComparison.OrdinalIgnoreCase) ? message : null;
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException)
        {
            return null;
        }
    }

    private static CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/console",
        MaxAge = TimeSpan.FromMinutes(5),
    };
}
