using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.People;

/// <summary>
/// Reads the directory JSON with <see cref="Utf8JsonReader"/> so every field keeps its line number,
/// and refuses unknown fields by name (a typo such as "role" must not silently drop a person's roles).
/// </summary>
internal sealed partial class DirectoryParser
{
    public static readonly string[] PersonFields =
        ["id", "name", "email", "roles", "teamsAadObjectId", "teamsUserId", "slackUserId", "hubSpotOwnerId", "hubSpotUserId", "delegate", "outOfOffice", "active"];

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly string[] OutOfOfficeFields = ["from", "until"];

    private readonly string _file;
    private readonly List<int> _lineStarts = [0];

    private DirectoryParser(string file, ReadOnlySpan<byte> json)
    {
        _file = file;
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public List<DirectoryError> Errors { get; } = [];

    public List<RawPerson> People { get; } = [];

    /// <summary>Line of the "people" field, for file-level findings about the list.</summary>
    public int PeopleLine { get; private set; } = 1;

    public static DirectoryParser Parse(string file, ReadOnlySpan<byte> bytes)
    {
        var json = bytes.StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes;
        var parser = new DirectoryParser(file, json);
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            parser.ReadRoot(ref reader);
            while (reader.Read())
            {
                // Drains the rest so trailing garbage is reported as invalid JSON.
            }
        }
        catch (JsonException ex)
        {
            parser.Errors.Clear();
            parser.People.Clear();
            parser.Errors.Add(new DirectoryError(file, ex.LineNumber is { } l ? (int)l + 1 : null, null, "invalid JSON: " + ex.Message));
        }
        catch (InvalidOperationException) when (SafeJson.Validate(json, subject: "the file", lenient: true) is { } problem)
        {
            // A lone surrogate escape or invalid UTF-8 is valid syntax, but GetString throws on it.
            parser.Errors.Clear();
            parser.People.Clear();
            parser.Errors.Add(new DirectoryError(file, null, null, problem));
        }

        return parser;
    }

    private int LineOf(ref Utf8JsonReader reader)
    {
        var index = _lineStarts.BinarySearch((int)reader.TokenStartIndex);
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    private void ReadRoot(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            Errors.Add(new DirectoryError(_file, LineOf(ref reader), null, "expected a JSON object { \"people\": [ ... ] }"));
            reader.Skip();
            return;
        }

        var sawPeople = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            var line = LineOf(ref reader);
            reader.Read();
            if (name == "people" && !sawPeople)
            {
                sawPeople = true;
                PeopleLine = line;
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    ReadPeople(ref reader);
                    continue;
                }

                Errors.Add(new DirectoryError(_file, line, null, "\"people\" must be an array of people"));
            }
            else
            {
                Errors.Add(new DirectoryError(_file, line, null, name == "people"
                    ? "field \"people\" appears twice"
                    : $"unknown field \"{name}\"{Hint(name, ["people"])}; the file has one field, \"people\""));
            }

            reader.Skip();
        }

        if (!sawPeople)
        {
            Errors.Add(new DirectoryError(_file, 1, null, "missing field \"people\"; expected { \"people\": [ ... ] }"));
        }
    }

    private void ReadPeople(ref Utf8JsonReader reader)
    {
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            index++;
            var line = LineOf(ref reader);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                Errors.Add(new DirectoryError(_file, line, "#" + index, "each entry of \"people\" must be an object"));
                reader.Skip();
                continue;
            }

            People.Add(ReadPerson(ref reader, new RawPerson(index, line)));
        }
    }

    private RawPerson ReadPerson(ref Utf8JsonReader reader, RawPerson person)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            var line = LineOf(ref reader);
            reader.Read();
            if (!PersonFields.Contains(name, StringComparer.Ordinal))
            {
                person.Problems.Add((line, $"unknown field \"{name}\"{Hint(name, PersonFields)}; known fields: {string.Join(", ", PersonFields)}"));
                reader.Skip();
                continue;
            }

            if (!person.Lines.TryAdd(name, line))
            {
                person.Problems.Add((line, $"field \"{name}\" appears twice"));
                reader.Skip();
                continue;
            }

            switch (name)
            {
                case "roles":
                    ReadRoles(ref reader, person, line);
                    break;
                case "outOfOffice":
                    ReadOutOfOffice(ref reader, person, line);
                    break;
                case "active" when reader.TokenType is JsonTokenType.True or JsonTokenType.False:
                    person.Active = reader.GetBoolean();
                    break;
                case "active":
                    person.Problems.Add((line, "\"active\" must be true or false"));
                    reader.Skip();
                    break;
                case "hubSpotOwnerId" or "hubSpotUserId" when reader.TokenType == JsonTokenType.Number:
                    // HubSpot ids are numeric; accept 77 as well as "77".
                    person.Values[name] = Encoding.UTF8.GetString(reader.ValueSpan);
                    break;
                default:
                    if (reader.TokenType is JsonTokenType.String or JsonTokenType.Null)
                    {
                        person.Values[name] = reader.GetString();
                    }
                    else
                    {
                        person.Problems.Add((line, $"\"{name}\" must be a string"));
                        reader.Skip();
                    }

                    break;
            }
        }

        return person;
    }

    private void ReadRoles(ref Utf8JsonReader reader, RawPerson person, int line)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            person.Problems.Add((line, "\"roles\" must be a list of role names, e.g. [\"sales-vp\"]"));
            reader.Skip();
            return;
        }

        person.Roles = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                person.Roles.Add(reader.GetString()!);
            }
            else
            {
                person.Problems.Add((LineOf(ref reader), "\"roles\" must contain only strings"));
                reader.Skip();
            }
        }
    }

    private void ReadOutOfOffice(ref Utf8JsonReader reader, RawPerson person, int line)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            person.Problems.Add((line, "\"outOfOffice\" must be an object { \"from\": ..., \"until\": ... }"));
            reader.Skip();
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            var fieldLine = LineOf(ref reader);
            reader.Read();
            if (name is not ("from" or "until"))
            {
                person.Problems.Add((fieldLine, $"unknown field \"{name}\" in outOfOffice; expected \"from\" and \"until\""));
                reader.Skip();
                continue;
            }

            seen.Add(name);
            if (reader.TokenType != JsonTokenType.String || !HasOffset().IsMatch(reader.GetString()!) || !reader.TryGetDateTimeOffset(out var value))
            {
                person.Problems.Add((fieldLine, $"outOfOffice \"{name}\" must be an ISO 8601 date-time with an offset, e.g. \"2026-07-01T00:00:00Z\""));
                reader.Skip();
                continue;
            }

            if (name == "from")
            {
                person.OutOfOfficeFrom = value;
            }
            else
            {
                person.OutOfOfficeUntil = value;
            }
        }

        foreach (var missing in OutOfOfficeFields.Where(f => !seen.Contains(f)))
        {
            person.Problems.Add((line, $"outOfOffice is missing \"{missing}\""));
        }

        if (person.OutOfOfficeFrom is { } from && person.OutOfOfficeUntil is { } until && from >= until)
        {
            person.Problems.Add((line, $"outOfOffice \"from\" ({from:O}) must be before \"until\" ({until:O})"));
        }
    }

    /// <summary>Suggests the known field a typo most likely meant (same name in another case, or singular/plural).</summary>
    private static string Hint(string name, IEnumerable<string> known)
    {
        var match = known.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase)
            || k.Equals(name + "s", StringComparison.OrdinalIgnoreCase)
            || (k + "s").Equals(name, StringComparison.OrdinalIgnoreCase));
        return match is null ? "" : $" (did you mean \"{match}\"?)";
    }

    [GeneratedRegex(@"(?:[Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex HasOffset();
}
