using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace HubSpotOrchestrator.Channels.Teams;

/// <summary>The Bot Framework OpenID metadata plus its JWKS, with each key's <c>endorsements</c> (protocols.md §2.2 step 3).</summary>
internal sealed class BotSigningMetadata
{
    public BotSigningMetadata(string issuer, IReadOnlyDictionary<string, SigningKeyEntry> keys)
    {
        Issuer = issuer;
        Keys = keys;
    }

    public string Issuer { get; }

    /// <summary>Keys by <c>kid</c>.</summary>
    public IReadOnlyDictionary<string, SigningKeyEntry> Keys { get; }
}

internal sealed record SigningKeyEntry(SecurityKey Key, IReadOnlyList<string> Endorsements);

/// <summary>
/// Reads the metadata document and then the raw <c>jwks_uri</c> document ourselves: <see cref="JsonWebKey"/> does not
/// expose the Bot Framework <c>endorsements</c> extension, so it is parsed from the same JSON.
/// </summary>
internal sealed class BotSigningMetadataRetriever : IConfigurationRetriever<BotSigningMetadata>
{
    public async Task<BotSigningMetadata> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var metadataJson = await retriever.GetDocumentAsync(address, cancel);
        string issuer;
        string jwksUri;
        using (var metadata = JsonDocument.Parse(metadataJson))
        {
            issuer = ReadString(metadata.RootElement, "issuer", address);
            jwksUri = ReadString(metadata.RootElement, "jwks_uri", address);
        }

        var jwksJson = await retriever.GetDocumentAsync(jwksUri, cancel);
        return new BotSigningMetadata(issuer, ParseKeys(jwksJson, jwksUri));
    }

    internal static Dictionary<string, SigningKeyEntry> ParseKeys(string jwksJson, string source)
    {
        using var jwks = JsonDocument.Parse(jwksJson);
        if (!jwks.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException($"The JWKS at {source} has no 'keys' array.");
        }

        var result = new Dictionary<string, SigningKeyEntry>(StringComparer.Ordinal);
        foreach (var element in keys.EnumerateArray())
        {
            var jwk = new JsonWebKey(element.GetRawText());
            if (string.IsNullOrEmpty(jwk.Kid) || jwk.Kty != JsonWebAlgorithmsKeyTypes.RSA)
            {
                continue;
            }

            var endorsements = new List<string>();
            if (element.TryGetProperty("endorsements", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                endorsements.AddRange(list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
            }

            result[jwk.Kid] = new SigningKeyEntry(jwk, endorsements);
        }

        return result;
    }

    private static string ReadString(JsonElement root, string property, string source) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(value.GetString())
            ? value.GetString()!
            : throw new InvalidOperationException($"The OpenID metadata at {source} has no '{property}'.");
}

/// <summary>Fetches metadata over the named HttpClient; https only, except loopback (local tests and tools).</summary>
internal sealed class LoopbackAwareDocumentRetriever(HttpClient httpClient) : IDocumentRetriever
{
    public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || !TrustedServiceUrls.IsHttpsOrLoopback(uri))
        {
            throw new InvalidOperationException($"Refusing to fetch signing metadata from '{address}': https is required.");
        }

        using var response = await httpClient.GetAsync(uri, cancel);
        if (!response.IsSuccessStatusCode)
        {
            throw new IOException($"GET {address} answered {(int)response.StatusCode}.");
        }

        return await response.Content.ReadAsStringAsync(cancel);
    }
}
