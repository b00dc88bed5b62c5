using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace HubSpotOrchestrator.People;

/// <summary>
/// Reads and validates the directory file into a new snapshot. It never touches the active directory:
/// the caller swaps in only a snapshot that loaded without errors.
/// </summary>
internal static partial class DirectoryLoader
{
    public static async Task<DirectoryLoadResult> LoadAsync(string path, CancellationToken ct = default)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return Fail(new DirectoryError(path, null, null, $"file not found ({full}); set {DirectoryOptions.Section}:Path to the people directory file"));
        }

        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(full, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(new DirectoryError(path, null, null, "cannot read the file: " + ex.Message));
        }

        return Parse(path, bytes);

        static DirectoryLoadResult Fail(DirectoryError error) => new(null, [error]);
    }

    /// <param name="file">The name used in error messages and kept on the snapshot.</param>
    public static DirectoryLoadResult Parse(string file, byte[] bytes)
    {
        var parser = DirectoryParser.Parse(file, bytes);
        var errors = parser.Errors;
        if (errors.Count == 0 && parser.People.Count == 0)
        {
            errors.Add(new DirectoryError(file, parser.PeopleLine, null, "\"people\" is empty; approvals need at least one person"));
        }

        var people = Validate(file, parser.People, errors);
        return errors.Count > 0 ? new DirectoryLoadResult(null, errors) : new DirectoryLoadResult(new DirectorySnapshot(ComputeVersion(bytes), file, people), []);
    }

    public static string ComputeVersion(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];

    private static List<Person> Validate(string file, List<RawPerson> raws, List<DirectoryError> errors)
    {
        var ids = raws.Select(r => r.Value("id")).Where(id => !string.IsNullOrEmpty(id)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var seen = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var people = new List<Person>();
        foreach (var raw in raws)
        {
            var id = raw.Value("id");
            var label = string.IsNullOrWhiteSpace(id) ? "#" + raw.Index : id;
            var before = errors.Count;
            foreach (var (line, message) in raw.Problems)
            {
                Report(line, message);
            }

            if (string.IsNullOrEmpty(id))
            {
                Report(raw.LineOf("id"), "\"id\" is missing or empty");
            }
            else if (!IdPattern().IsMatch(id))
            {
                Report(raw.LineOf("id"), $"id \"{id}\" may contain only letters, digits, '.', '_' and '-'");
            }
            else
            {
                Unique("id", id, StringComparer.OrdinalIgnoreCase);
            }

            var name = raw.Value("name");
            if (string.IsNullOrWhiteSpace(name))
            {
                Report(raw.LineOf("name"), "\"name\" is missing or empty");
            }

            var email = raw.Value("email")?.Trim();
            if (string.IsNullOrEmpty(email))
            {
                Report(raw.LineOf("email"), "\"email\" is missing or empty");
            }
            else if (!EmailPattern().IsMatch(email))
            {
                Report(raw.LineOf("email"), $"email \"{email}\" does not look like an email address (name@domain.tld)");
            }
            else
            {
                Unique("email", email, StringComparer.OrdinalIgnoreCase);
            }

            ValidateRoles(raw, Report);
            Optional("teamsAadObjectId", v => Guid.TryParse(v, out _) ? null : "is not a GUID (the user's Entra ID object id)", StringComparer.OrdinalIgnoreCase);
            Optional("teamsUserId", v => v.Any(char.IsWhiteSpace) ? "must not contain spaces" : null, StringComparer.Ordinal);
            Optional("slackUserId", v => SlackIdPattern().IsMatch(v) ? null : "is not a Slack user id (U or W followed by capital letters and digits, e.g. U0123ABCD)", StringComparer.Ordinal);
            Optional("hubSpotOwnerId", v => v.All(char.IsAsciiDigit) ? null : "must be the numeric HubSpot owner id", StringComparer.Ordinal);
            Optional("hubSpotUserId", v => v.All(char.IsAsciiDigit) ? null : "must be the numeric HubSpot user id (\"77\" for sourceId \"userId:77\")", StringComparer.Ordinal);

            var delegateId = raw.Value("delegate");
            if (delegateId is not null)
            {
                if (delegateId.Length == 0)
                {
                    Report(raw.LineOf("delegate"), "\"delegate\" is empty; omit the field for no delegate");
                }
                else if (string.Equals(delegateId, id, StringComparison.OrdinalIgnoreCase))
                {
                    Report(raw.LineOf("delegate"), "\"delegate\" names the person themself; it must name someone else");
                }
                else if (!ids.Contains(delegateId))
                {
                    Report(raw.LineOf("delegate"), $"delegate \"{delegateId}\" is not a person in the directory");
                }
            }

            if (errors.Count == before)
            {
                var outOfOffice = raw.OutOfOfficeFrom is { } from && raw.OutOfOfficeUntil is { } until ? new OutOfOffice(from, until) : null;
                people.Add(new Person(id!, name!.Trim(), email!, [.. raw.Roles!],
                    raw.Value("teamsAadObjectId"), raw.Value("teamsUserId"), raw.Value("slackUserId"),
                    raw.Value("hubSpotOwnerId"), raw.Value("hubSpotUserId"),
                    delegateId is null ? null : ids.First(i => string.Equals(i, delegateId, StringComparison.OrdinalIgnoreCase)),
                    outOfOffice, raw.Active));
            }

            void Report(int line, string message) => errors.Add(new DirectoryError(file, line, label, message));

            void Optional(string field, Func<string, string?> check, StringComparer comparer)
            {
                var value = raw.Value(field);
                if (value is null)
                {
                    return;
                }

                var problem = value.Length == 0 ? "is empty; omit the field instead" : check(value);
                if (problem is not null)
                {
                    Report(raw.LineOf(field), $"{field} \"{value}\" {problem}");
                    return;
                }

                Unique(field, value, comparer);
            }

            void Unique(string field, string value, StringComparer comparer)
            {
                if (!seen.TryGetValue(field, out var owners))
                {
                    seen[field] = owners = new Dictionary<string, string>(comparer);
                }

                if (!owners.TryAdd(value, label))
                {
                    Report(raw.LineOf(field), $"{field} \"{value}\" is already used by person \"{owners[value]}\"");
                }
            }
        }

        return people;
    }

    private static void ValidateRoles(RawPerson raw, Action<int, string> report)
    {
        if (!raw.Lines.ContainsKey("roles"))
        {
            report(raw.Line, "\"roles\" is missing; give a non-empty list of role names, e.g. [\"sales-rep\"]");
            return;
        }

        if (raw.Roles is null)
        {
            return; // shape problem already reported by the parser
        }

        if (raw.Roles.Count == 0)
        {
            report(raw.LineOf("roles"), "\"roles\" is empty; give at least one role name");
        }

        var distinct = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in raw.Roles)
        {
            if (!RolePattern().IsMatch(role))
            {
                report(raw.LineOf("roles"), $"role \"{role}\" must be lowercase letters, digits and '-' (e.g. \"sales-vp\")");
            }
            else if (!distinct.Add(role))
            {
                report(raw.LineOf("roles"), $"role \"{role}\" is listed twice");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s.]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex RolePattern();

    [GeneratedRegex("^[UW][A-Z0-9]{2,}$")]
    private static partial Regex SlackIdPattern();
}
