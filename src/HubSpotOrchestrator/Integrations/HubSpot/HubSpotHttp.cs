using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Polly.CircuitBreaker;
using HubSpotOrchestrator.Channels.Teams;

namespace HubSpotOrchestrator.Integrations.HubSpot;

/// <summary>
/// One HubSpot API call: configuration check, shared rate limiters, Bearer token, per-attempt timeout, retries and
/// circuit breaker, rate-limit headers, then either the parsed JSON body or a classified <see cref="IntegrationException"/>.
/// </summary>
internal sealed class HubSpotHttp(
    HttpClient http,
    HubSpotCrmOptions options,
    HubSpotRateLimiters limiters,
    HubSpotAccessTokenProvider tokens,
    HubSpotResiliencePipeline resilience,
    HubSpotRateLimitMonitor monitor,
    TimeProvider time)
{
    /// <summary>Sends the request; returns the JSON body, or null for an empty one (204).</summary>
    public async Task<JsonElement?> SendAsync(
        HttpMethod method, string relativePath, JsonNode? body, CancellationToken cancellationToken, bool search = false, bool safeToRepeat = true)
    {
        if (!options.IsConfigured)
        {
            throw HubSpotErrors.NotConfigured();
        }

        var queryStart = relativePath.IndexOf('?', StringComparison.Ordinal);
        var endpoint = $"{method} /{(queryStart < 0 ? relativePath : relativePath[..queryStart])}";
        var json = body?.ToJsonString();

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(HubSpotResiliencePipeline.SafeToRepeat, safeToRepeat);
        context.Properties.Set(HubSpotResiliencePipeline.Endpoint, endpoint);
        HttpResponseMessage response;
        try
        {
            response = await resilience.Pipeline.ExecuteAsync(
                ctx => AttemptAsync(method, relativePath, json, search, endpoint, ctx.CancellationToken), context);
        }
        catch (TimeoutException ex)
        {
            throw new IntegrationException(HubSpotErrors.System, FailureKind.Transient, ex.Message, inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new IntegrationException(HubSpotErrors.System, FailureKind.Transient, $"{endpoint}: could not reach HubSpot: {ex.Message}", inner: ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new IntegrationException(
                HubSpotErrors.System, FailureKind.Transient, $"{endpoint}: not sent, HubSpot calls are paused after repeated failures (circuit open)",
                retryAfter: ex.RetryAfter, inner: ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw HubSpotErrors.FromResponse(options, endpoint, response, text, time);
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            try
            {
                using var doc = JsonDocument.Parse(text);
                return doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw HubSpotErrors.MalformedJson(endpoint, ex);
            }
        }
    }

    private async ValueTask<HttpResponseMessage> AttemptAsync(
        HttpMethod method, string relativePath, string? json, bool search, string endpoint, CancellationToken cancellationToken)
    {
        // Waiting for a permit is not part of the request timeout: a long queue must not look like a slow HubSpot.
        if (search)
        {
            await limiters.Search.AcquireAsync(cancellationToken);
        }

        await limiters.General.AcquireAsync(cancellationToken);
        var token = await tokens.GetTokenAsync(cancellationToken);

        using var request = new HttpRequestMessage(method, relativePath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var timeout = new CancellationTokenSource(options.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            monitor.Observe(response);
            return response;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            HubSpotRateLimitMonitor.Requests.WithLabels("timeout").Inc();
            throw new TimeoutException($"{endpoint}: HubSpot did not answer within {options.RequestTimeout.TotalSeconds} s");
        }
        catch (HttpRequestException)
        {
            HubSpotRateLimitMonitor.Requests.WithLabels("error").Inc();
            throw;
        }
    }
}
