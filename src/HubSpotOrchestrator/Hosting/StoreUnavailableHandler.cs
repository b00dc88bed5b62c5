using System.Globalization;
using HubSpotOrchestrator.Shared;
using Microsoft.AspNetCore.Diagnostics;

namespace HubSpotOrchestrator.Hosting;

/// <summary>
/// Any request that fails because the store cannot be used (disk full, file read-only or locked, service stopping)
/// answers 503 with <c>Retry-After</c> and a ProblemDetails body: nothing of it was kept, and every sender we serve
/// (HubSpot, Slack, Teams, API clients) retries a 503 instead of losing the request.
/// </summary>
internal sealed class StoreUnavailableHandler(IProblemDetailsService problems, ILogger<StoreUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (StoreUnavailableException.Find(exception) is not { } unavailable || httpContext.Response.HasStarted)
        {
            return false;
        }

        logger.LogWarning("{Method} {Path} answered 503: {Reason}", httpContext.Request.Method, httpContext.Request.Path, unavailable.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(unavailable.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Store unavailable",
                Detail = unavailable.Message,
            },
        });
    }
}
