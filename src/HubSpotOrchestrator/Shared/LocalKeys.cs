using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Shared;

/// <summary>
/// Secrets the service creates for itself on first start in the data folder (owner-only file mode), so a
/// laptop install works with nothing configured: the API token signing key and a local HubSpot secret for
/// <c>simulate</c>. Configured secrets always take precedence over these.
/// </summary>
public sealed class LocalKeys(IOptions<StorageOptions> storage)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);

    public const string ApiSigningKey = "api-signing.key";
    public const string LocalHubSpotSecret = "hubspot-local-client-secret";

    public string GetOrCreate(string name, int bytes = 32)
    {
        lock (_gate)
        {
            // Read once per process: these are asked for on every webhook, card and click.
            if (_cache.TryGetValue(name, out var cached))
            {
                return cached;
            }

            var value = ReadOrCreate(name, bytes);
            _cache[name] = value;
            return value;
        }
    }

    private string ReadOrCreate(string name, int bytes)
    {
        var folder = storage.Value.DataFolder;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }

        var value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options))
        {
            writer.Write(value);
        }

        return value;
    }
}
