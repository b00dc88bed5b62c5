using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.Shared;

namespace HubSpotOrchestrator.Integrations.HubSpot;

/// <summary>
/// Retry (exponential backoff with jitter, honouring Retry-After) around a circuit breaker; one instance per process so
/// the breaker sees every caller. Delays run on the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class HubSpotResiliencePipeline
{
    /// <summary>False for requests that may have taken effect when they fail (creates): those are only retried on 429.</summary>
    internal static readonly ResiliencePropertyKey<bool> SafeToRepeat = new("hso.hubspot.safe-to-repeat");

    internal static readonly ResiliencePropertyKey<string> Endpoint = new("hso.hubspot.endpoint");

    public HubSpotResiliencePipeline(HubSpotCrmOptions options, TimeProvider time, ILogger<HubSpotResiliencePipeline> logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryAfter > TimeSpan.Zero ? options.MaxRetryAfter : null,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, options, time)),

                // HubSpot: on 429 honour Retry-After when present; otherwise the exponential backoff applies.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response ? HubSpotErrors.RetryAfter(response, time) : null),
                OnRetry = args =>
                {
                    HubSpotRateLimitMonitor.Retries.Inc();
                    logger.LogWarning(
                        "HubSpot {Endpoint} attempt {Attempt} failed ({Outcome}); retrying in {DelayMs} ms",
                        args.Context.Properties.GetValue(Endpoint, "?"), args.AttemptNumber + 1, Describe(args.Outcome), args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = 0.5,
            MinimumThroughput = 20,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(30),
            ShouldHandle = args => ValueTask.FromResult(IsServerFailure(args.Outcome)),
            OnOpened = args =>
            {
                logger.LogWarning("HubSpot circuit opened for {BreakSeconds} s after repeated failures", args.BreakDuration.TotalSeconds);
                return ValueTask.CompletedTask;
            },
        });

        Pipeline = builder.Build();
    }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, HubSpotCrmOptions options, TimeProvider time)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } throttled)
        {
            // A Retry-After longer than we are willing to hold a worker is handed to the run engine instead.
            return HubSpotErrors.RetryAfter(throttled, time) is not { } wait || wait <= options.MaxRetryAfter;
        }

        return context.Properties.GetValue(SafeToRepeat, true) && IsServerFailure(outcome);
    }

    private static bool IsServerFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
        _ => false,
    };

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception?.GetType().Name ?? ((int?)outcome.Result?.StatusCode)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}
