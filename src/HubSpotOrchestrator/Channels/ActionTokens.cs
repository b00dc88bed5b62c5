using System.Security.Cryptography;
using System.Text;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Channels;

/// <summary>
/// Server-issued tokens for card buttons: a card carries only an id and this HMAC, so a forged or edited
/// action is refused; everything else is looked up on the server at click time.
/// </summary>
public sealed class ActionTokens(LocalKeys keys)
{
    public const string KeyFile = "card-action.key";

    /// <summary>Token for acting on "approval:{id}" or "exception:{id}".</summary>
    public string Issue(string subject) =>
        Base64Url(HMACSHA256.HashData(Convert.FromHexString(keys.GetOrCreate(KeyFile)), Encoding.UTF8.GetBytes(subject)));

    public bool IsValid(string subject, string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Issue(subject)), Encoding.ASCII.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
