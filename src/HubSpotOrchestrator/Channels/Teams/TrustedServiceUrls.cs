using System.Collections.Concurrent;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>
/// The serviceUrls the connector may send the bot's outbound token to. Bot Framework auth doc: a forged serviceUrl
/// would make the bot hand its token to an attacker, so a URL becomes trusted only when
/// (a) it arrived in a validated inbound token (<see cref="BotFrameworkAuthenticator"/> adds it; in anonymous
/// development mode the activity's serviceUrl is trusted because the Agents Playground sends no token), or
/// (b) it belongs to a stored conversation reference: references are only saved from authenticated activities, so
/// the store calls <see cref="TrustStoredReference"/> when it loads one.
/// The documented public Teams default (protocols.md §2.1) is trusted from the start so a 1:1 conversation can be
/// created before any activity was seen.
/// </summary>
public sealed class TrustedServiceUrls
{
    public const string DefaultTeamsServiceUrl = "https://smba.trafficmanager.net/teams/";

    private readonly ConcurrentDictionary<string, byte> _trusted = new(StringComparer.Ordinal);

    public TrustedServiceUrls()
    {
        Add(DefaultTeamsServiceUrl);
    }

    public bool IsTrusted(string? serviceUrl) => Normalize(serviceUrl) is { } key && _trusted.ContainsKey(key);

    public void TrustStoredReference(ConversationReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Add(reference.ServiceUrl);
    }

    internal void TrustValidated(string serviceUrl) => Add(serviceUrl);

    /// <summary>Scheme and host lower-cased, the trailing slash removed; null when not an absolute http(s) URL.</summary>
    public static string? Normalize(string? serviceUrl)
    {
        if (string.IsNullOrWhiteSpace(serviceUrl)
            || !Uri.TryCreate(serviceUrl.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        var text = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return text;
    }

    internal static bool IsHttpsOrLoopback(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);

    private void Add(string? serviceUrl)
    {
        var key = Normalize(serviceUrl) ?? throw new ArgumentException($"'{serviceUrl}' is not an absolute http(s) serviceUrl.", nameof(serviceUrl));
        _trusted.TryAdd(key, 0);
    }
}
