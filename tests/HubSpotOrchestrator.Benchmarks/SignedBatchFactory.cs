using System.Buffers.Text;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Webhooks;

namespace HubSpotOrchestrator.Benchmarks;

/// <summary>
/// Produces HubSpot-signed (v3) webhook bodies from the 100-event fixture with fresh event ids. The body is
/// pre-split around each eventId value, so a new body costs one buffer copy plus the HMAC the request needs
/// anyway; the driver shares the 2 cores with the service, so it must stay cheap.
/// </summary>
internal sealed class SignedBatchFactory
{
    private readonly byte[][] _segments;
    private readonly long[] _originalIds;
    private readonly string _signedUri;
    // Shared by all factories of the process; ids far above the fixture's and distinct per run.
    private static long _nextBase = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 10_000;

    public SignedBatchFactory(string signedUri, byte[]? fixture = null)
    {
        _signedUri = signedUri;
        var events = JsonNode.Parse(fixture ?? File.ReadAllBytes(RepoPaths.MixedBatch))!.AsArray();
        EventCount = events.Count;
        _originalIds = new long[events.Count];
        const long sentinel = 987_654_321_000;
        for (var i = 0; i < events.Count; i++)
        {
            _originalIds[i] = events[i]!["eventId"]!.GetValue<long>();
            events[i]!["eventId"] = sentinel + i;
        }

        var text = events.ToJsonString();
        var segments = new List<byte[]>(events.Count + 1);
        var from = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var token = (sentinel + i).ToString(CultureInfo.InvariantCulture);
            var at = text.IndexOf(token, from, StringComparison.Ordinal);
            segments.Add(Encoding.UTF8.GetBytes(text[from..at]));
            from = at + token.Length;
        }

        segments.Add(Encoding.UTF8.GetBytes(text[from..]));
        _segments = [.. segments];

        OriginalBody = Build(_originalIds);
    }

    public int EventCount { get; }

    /// <summary>The fixture with its own ids (for the duplicate-heavy variant: every repeat is a duplicate).</summary>
    public byte[] OriginalBody { get; }

    /// <summary>A body whose events all have ids never used before; <paramref name="firstId"/> is the first of them.</summary>
    public byte[] NextFreshBody(out long firstId)
    {
        firstId = Interlocked.Add(ref _nextBase, EventCount) - EventCount;
        var ids = new long[EventCount];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = firstId + i;
        }

        return Build(ids);
    }

    public HttpRequestMessage Sign(byte[] body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, _signedUri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(HubSpotRequestVerifier.SignatureV3Header, HubSpotSignature.V3(ServiceUnderTest.ClientSecret, "POST", _signedUri, body, timestamp));
        request.Headers.Add(HubSpotRequestVerifier.TimestampHeader, timestamp);
        return request;
    }

    private byte[] Build(long[] ids)
    {
        var length = 0;
        foreach (var s in _segments)
        {
            length += s.Length;
        }

        var buffer = new byte[length + (20 * ids.Length)];
        var pos = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            _segments[i].CopyTo(buffer, pos);
            pos += _segments[i].Length;
            Utf8Formatter.TryFormat(ids[i], buffer.AsSpan(pos), out var written);
            pos += written;
        }

        _segments[^1].CopyTo(buffer, pos);
        pos += _segments[^1].Length;
        return buffer[..pos];
    }
}
