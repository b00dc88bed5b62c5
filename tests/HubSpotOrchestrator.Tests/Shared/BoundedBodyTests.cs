using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.Shared;
using Microsoft.AspNetCore.Http;

namespace HubSpotOrchestrator.Tests.Shared;

public sealed class BoundedBodyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(100)]
    public async Task ABodyUpToTheLimit_IsReadWhole(int size)
    {
        var bytes = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();

        var result = await BoundedBody.ReadAsync(Request(new MemoryStream(bytes)), 100, CancellationToken.None);

        Assert.Equal(BoundedBodyStatus.Read, result.Status);
        Assert.Equal(bytes, result.Bytes);
    }

    [Fact]
    public async Task ABodyWithoutContentLength_OverTheLimit_IsTooLarge_AndIsNotReadToTheEnd()
    {
        var stream = new CountingStream(new MemoryStream(new byte[1024 * 1024]));

        var result = await BoundedBody.ReadAsync(Request(stream), 100_000, CancellationToken.None);

        Assert.Equal(BoundedBodyStatus.TooLarge, result.Status);
        Assert.InRange(stream.BytesRead, 100_001, 100_000 + (16 * 1024));
    }

    [Fact]
    public async Task AContentLengthOverTheLimit_IsTooLarge_WithoutReadingAnything()
    {
        var stream = new CountingStream(new MemoryStream(new byte[200]));
        var request = Request(stream);
        request.ContentLength = 200;

        var result = await BoundedBody.ReadAsync(request, 100, CancellationToken.None);

        Assert.Equal(BoundedBodyStatus.TooLarge, result.Status);
        Assert.Equal(0, stream.BytesRead);
    }

    [Fact]
    public async Task KestrelsTooLargeException_IsTooLarge_NotAnError()
    {
        var result = await BoundedBody.ReadAsync(Request(new ThrowingStream(new BadHttpRequestException("Request body too large.", 413))), 100, CancellationToken.None);

        Assert.Equal(BoundedBodyStatus.TooLarge, result.Status);
    }

    public static TheoryData<Exception> Disconnects() => new()
    {
        new BadHttpRequestException("Unexpected end of request content.", 400),
        new IOException("The client reset the request stream."),
    };

    [Theory]
    [MemberData(nameof(Disconnects))]
    public async Task ADisconnectOrAShortBody_IsIncomplete_WithTheReason(Exception failure)
    {
        var result = await BoundedBody.ReadAsync(Request(new ThrowingStream(failure)), 100, CancellationToken.None);

        Assert.Equal(BoundedBodyStatus.Incomplete, result.Status);
        Assert.Equal(failure.Message, result.Reason);
    }

    [Fact]
    public async Task AnAbortedRequest_IsIncomplete()
    {
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();

        var result = await BoundedBody.ReadAsync(Request(new ThrowingStream(new OperationCanceledException(aborted.Token))), 100, aborted.Token);

        Assert.Equal(BoundedBodyStatus.Incomplete, result.Status);
    }

    [Fact]
    public async Task OtherFailures_AreNotHidden() =>
        await Assert.ThrowsAsync<InvalidOperationException>(() => BoundedBody.ReadAsync(Request(new ThrowingStream(new InvalidOperationException("bug"))), 100, CancellationToken.None));

    private static HttpRequest Request(Stream body)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = body;
        return context.Request;
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class ThrowingStream(Exception failure) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw failure;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromException<int>(failure);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>
/// Over real Kestrel (chunked bodies and Kestrel's own body limit do not exist in the in-memory test server): a body
/// without Content-Length over an endpoint's limit is a 413 problem, never a 500 (Kestrel's BadHttpRequestException
/// escaping) nor a 400.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ChunkedBodyLimitTests
{
    public static TheoryData<string, int, string> Endpoints() => new()
    {
        { "/api/messages", 512 * 1024, "Activity too large" },
        { "/slack/interactivity", 1024 * 1024, "Slack request too large" },
        { "/slack/events", 1024 * 1024, "Slack request too large" },
        { "/slack/commands", 1024 * 1024, "Slack request too large" },
        { "/webhooks/hubspot", 1024 * 1024, "Request body too large" },
        { "/webhooks/hubspot/workflow", 1024 * 1024, "Request body too large" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AChunkedBodyOverTheEndpointsLimit_Is413(string path, int limit, string title)
    {
        using var app = new OrchestratorFactory();
        app.UseKestrel(0);
        app.StartServer();
        using var client = PlainClient(app);

        using var responseRequest = Chunked(path, limit + (64 * 1024));
        using var response = await client.SendAsync(responseRequest);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Null(response.RequestMessage!.Content!.Headers.ContentLength);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(title, problem["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task AChunkedBodyJustUnderTheLimit_IsReadWhole()
    {
        // Not refused for size: it gets as far as the Bot Framework token check.
        using var app = new OrchestratorFactory();
        app.UseKestrel(0);
        app.StartServer();
        using var client = PlainClient(app);

        using var responseRequest = Chunked("/api/messages", (512 * 1024) - 1);
        using var response = await client.SendAsync(responseRequest);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Invalid activity", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerWideBodyLimitBelowTheEndpoints_Is413_Not400()
    {
        // Kestrel's own limit (Kestrel:Limits:MaxRequestBodySize) below Webhooks:MaxBodyBytes: a body over it is too
        // large for this server (Kestrel's 413 BadHttpRequestException), not an incomplete body (400) nor a fault (500).
        using var app = new OrchestratorFactory();
        app.UseKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024);
        app.StartServer();
        using var client = PlainClient(app);

        using var underRequest = Chunked("/webhooks/hubspot", 32 * 1024);
        using var under = await client.SendAsync(underRequest);
        using var overRequest = Chunked("/webhooks/hubspot", 200 * 1024);
        using var over = await client.SendAsync(overRequest);

        Assert.Equal(HttpStatusCode.Unauthorized, under.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
    }

    [Theory]
    [InlineData("/api/approvals/apr_1/decision")]
    [InlineData("/api/exceptions/exc_1/skip")]
    [InlineData("/api/runs/run_1/cancel")]
    public async Task AChunkedJsonBodyOverTheServersLimit_OnAnApiPost_Is413(string path)
    {
        // The API binds JSON bodies itself (no BoundedBody): Kestrel's limit is what bounds them.
        using var app = new OrchestratorFactory();
        app.UseKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024);
        app.StartServer();
        using var client = PlainClient(app);
        using var authorized = app.ApiClient("admin");
        client.DefaultRequestHeaders.Authorization = authorized.DefaultRequestHeaders.Authorization;

        using var request = Chunked(path, 200 * 1024);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task AChunkedConsoleFormOverTheFormLimits_Is400_NotA500()
    {
        // The console's form is read by the anti-forgery check; a value over FormOptions' 4 MB made it throw (500).
        using var app = new ConsoleApp(kestrel: true);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = app.Address };

        using var request = new HttpRequestMessage(HttpMethod.Post, "/console/signin") { Content = new ChunkedContent(5 * 1024 * 1024) };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The form could not be read", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A client of the Kestrel server without the factory's handlers: its redirect handler buffers request content,
    /// which would send a Content-Length and no chunks.
    /// </summary>
    private static HttpClient PlainClient(OrchestratorFactory app)
    {
        using var factoryClient = app.CreateClient();
        return new HttpClient { BaseAddress = factoryClient.BaseAddress };
    }

    /// <summary>A JSON-ish body of <paramref name="size"/> bytes sent without Content-Length (Transfer-Encoding: chunked).</summary>
    private static HttpRequestMessage Chunked(string path, int size) => new(HttpMethod.Post, path) { Content = new ChunkedContent(size) };

    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _body;

        public ChunkedContent(int size)
        {
            _body = new byte[size];
            Array.Fill(_body, (byte)' ');
            Encoding.ASCII.GetBytes("{\"type\":\"message\",\"text\":\"").CopyTo(_body, 0);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < _body.Length; offset += 8 * 1024)
            {
                await stream.WriteAsync(_body.AsMemory(offset, Math.Min(8 * 1024, _body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
