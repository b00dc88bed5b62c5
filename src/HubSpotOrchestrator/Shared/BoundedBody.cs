namespace HubSpotOrchestrator.Shared;

public enum BoundedBodyStatus
{
    /// <summary>The whole body, at most the limit, is in <see cref="BoundedBodyResult.Bytes"/>.</summary>
    Read,

    /// <summary>The body is larger than the limit (by its Content-Length, or by what arrived when there was none): answer 413.</summary>
    TooLarge,

    /// <summary>The client went away or sent less than it declared: nothing to act on, and not a service fault.</summary>
    Incomplete,
}

/// <summary>What <see cref="BoundedBody.ReadAsync"/> got; <see cref="Reason"/> says why an incomplete read ended.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "The body is read once and handed to one parser that takes the array; no copy is wanted on the request path.")]
public sealed record BoundedBodyResult(BoundedBodyStatus Status, byte[] Bytes, string? Reason = null)
{
    public bool IsRead => Status == BoundedBodyStatus.Read;
}

/// <summary>
/// Reads a request body of at most a given size, for endpoints that need the raw bytes (signatures) before parsing.
/// Never throws for what the client sent: a body over the limit is <see cref="BoundedBodyStatus.TooLarge"/> whether it
/// had a Content-Length or came chunked (Kestrel's own 413 <see cref="BadHttpRequestException"/> included), and a
/// disconnect or short body is <see cref="BoundedBodyStatus.Incomplete"/>, so neither becomes a 500.
/// </summary>
public static class BoundedBody
{
    private const int ChunkSize = 16 * 1024;

    public static async Task<BoundedBodyResult> ReadAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (request.ContentLength > limit)
        {
            return new BoundedBodyResult(BoundedBodyStatus.TooLarge, []);
        }

        // The server's own limit (IHttpMaxRequestBodySizeFeature, Kestrel: 30 MB) is left alone: for chunked bodies
        // Kestrel counts the chunk framing too, so setting it to the limit refuses bodies just under it. This loop
        // enforces the limit on the body itself and stops reading one chunk past it.
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : Math.Min(limit, ChunkSize));
        var chunk = new byte[ChunkSize];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return new BoundedBodyResult(BoundedBodyStatus.TooLarge, []);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server's own limit, set lower than ours, was crossed before the bytes reached us: still too large.
            return new BoundedBodyResult(BoundedBodyStatus.TooLarge, []);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException || (ex is OperationCanceledException && ct.IsCancellationRequested))
        {
            // A disconnect (IOException, aborted request) or a body that ended before its declared length (400).
            return new BoundedBodyResult(BoundedBodyStatus.Incomplete, [], ex.Message);
        }

        return new BoundedBodyResult(BoundedBodyStatus.Read, buffer.ToArray());
    }
}
