using System.Text.Json.Nodes;
using HubSpotOrchestrator.People;
using HubSpotOrchestrator.Shared;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HubSpotOrchestrator.Channels.Console;

/// <summary>Request handlers of the console: sign-in, inbox and the card action post (post-redirect-get).</summary>
internal static class ConsoleEndpoints
{
    public static async Task<IResult> SignInPage(HttpContext context, IHostEnvironment environment, IPeopleDirectory directory, IAntiforgery antiforgery, IOptionsMonitor<ChannelOptions> channel, string? returnUrl)
    {
        var appName = channel.CurrentValue.AppName;
        if (!environment.IsDevelopment())
        {
            return Page(context, ConsolePages.SignInUnavailable(appName, environment.EnvironmentName), StatusCodes.Status403Forbidden);
        }

        // The page is anonymous, so the console cookie is read explicitly (the default scheme is the API's bearer).
        var cookie = await context.AuthenticateAsync(ConsoleAuth.Scheme);
        var signedIn = cookie.Succeeded ? ConsoleAuth.DisplayName(cookie.Principal) : null;
        var people = directory.People.Where(p => p.Active).ToList();
        return Page(context, ConsolePages.SignIn(appName, people, antiforgery.GetAndStoreTokens(context), ConsoleAuth.SafeReturnUrl(returnUrl), signedIn));
    }

    public static async Task<IResult> SignIn(HttpContext context, IHostEnvironment environment, IPeopleDirectory directory, IAntiforgery antiforgery, IOptionsMonitor<ChannelOptions> channel, ILogger<ConsoleInbox> logger)
    {
        var appName = channel.CurrentValue.AppName;
        if (!environment.IsDevelopment())
        {
            return Page(context, ConsolePages.SignInUnavailable(appName, environment.EnvironmentName), StatusCodes.Status403Forbidden);
        }

        if (await FormRefusalAsync(antiforgery, context, appName) is { } refused)
        {
            return refused;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var person = directory.Find(form["person"].ToString());
        if (person is null || !person.Active)
        {
            return Page(context, ConsolePages.Message(appName, "Unknown person", $"'{form["person"]}' is not an active person in the people directory.", null, null), StatusCodes.Status400BadRequest);
        }

        await context.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.Principal(person));
        logger.LogInformation("Console: {PersonId} signed in (Development sign-in)", person.Id);
        return Results.Redirect(ConsoleAuth.SafeReturnUrl(form["returnUrl"].ToString()));
    }

    public static async Task<IResult> SignOut(HttpContext context, IAntiforgery antiforgery, IOptionsMonitor<ChannelOptions> channel)
    {
        if (await FormRefusalAsync(antiforgery, context, channel.CurrentValue.AppName) is { } refused)
        {
            return refused;
        }

        await context.SignOutAsync(ConsoleAuth.Scheme);
        return Results.Redirect(ConsoleSetup.SignInPath);
    }

    public static IResult Inbox(HttpContext context, ConsoleInbox inbox, ConsoleFlash flash, IAntiforgery antiforgery, IOptionsMonitor<ChannelOptions> channel)
    {
        var personId = ConsoleAuth.PersonId(context.User);
        var af = antiforgery.GetAndStoreTokens(context);
        var body = inbox.Body(personId, flash.Take(context, personId), af);
        return Page(context, ConsolePages.Layout("Inbox", channel.CurrentValue.AppName, ConsoleAuth.DisplayName(context.User), af, body));
    }

    public static async Task<IResult> Action(
        HttpContext context, IAntiforgery antiforgery, ChatActions actions, IPeopleDirectory directory, ConsoleInbox inbox, ConsoleFlash flash,
        IOptionsMonitor<ChannelOptions> channel, ILogger<ConsoleInbox> logger)
    {
        var appName = channel.CurrentValue.AppName;
        if (await FormRefusalAsync(antiforgery, context, appName) is { } refused)
        {
            return refused;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var data = SafeJson.ParseObject(form["action"].ToString(), out _);
        if (data is null || SafeJson.Text(data, "verb") is not { Length: > 0 } verb)
        {
            return Page(context, ConsolePages.Message(appName, "Bad request", "The form must carry an 'action' field holding a JSON object with a 'verb'.", null, null), StatusCodes.Status400BadRequest);
        }

        data.Remove("verb");
        var fieldName = antiforgery.GetAndStoreTokens(context).FormFieldName;
        foreach (var (key, value) in form)
        {
            // Card inputs join the action data (the Action.Submit shape), but never replace the id or token the card was issued with.
            if (key != "action" && key != fieldName && !data.ContainsKey(key))
            {
                data[key] = value.ToString();
            }
        }

        var personId = ConsoleAuth.PersonId(context.User);
        var person = directory.Find(personId);
        var result = actions.Handle(person, personId, verb, data, ConsolePromptChannel.ChannelName);
        logger.LogInformation("Console: {PersonId} clicked {Verb}: {Status}", personId, verb, result.Status);
        if (result.Malformed)
        {
            return Page(context, ConsolePages.Message(appName, "Bad request", result.Message, null, null), StatusCodes.Status400BadRequest);
        }

        if (result.Status == ChatActionStatus.TamperedToken)
        {
            var af = antiforgery.GetAndStoreTokens(context);
            var page = ConsolePages.Message(appName, "Action refused", result.Message, ConsoleAuth.DisplayName(context.User), af, inbox.Render(result.Card, af));
            return Page(context, page, StatusCodes.Status403Forbidden);
        }

        flash.Set(context, new FlashMessage(result.Status, result.Message, Text(data, "approvalId"), Text(data, "exceptionId"), personId));
        return Results.Redirect(ConsoleSetup.InboxPath);
    }

    private static string? Text(JsonObject data, string name) => SafeJson.Text(data, name);

    /// <summary>
    /// The anti-forgery check, or the 400 page that refuses the form: not issued by this session, or not even readable
    /// (a NUL in a value, a value over the form limits: the form reader throws, which would otherwise be a 500).
    /// </summary>
    private static async Task<IResult?> FormRefusalAsync(IAntiforgery antiforgery, HttpContext context, string appName)
    {
        try
        {
            return await antiforgery.IsRequestValidAsync(context) ? null : FormRejected(context, appName);
        }
        catch (AntiforgeryValidationException ex)
        {
            return Page(context, ConsolePages.Message(appName, "Bad request", "The form could not be read: " + (ex.InnerException?.Message ?? ex.Message), null, null), StatusCodes.Status400BadRequest);
        }
    }

    private static IResult FormRejected(HttpContext context, string appName) =>
        Page(context, ConsolePages.Message(appName, "Form expired", "This form was not issued by this console session (anti-forgery check failed). Reload the page and try again.", null, null), StatusCodes.Status400BadRequest);

    internal static IResult Page(HttpContext context, string html, int status = StatusCodes.Status200OK)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        return Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }
}
