using CsCheck;
using static HubSpotOrchestrator.Tests.Fuzz.JsonFuzz;

namespace HubSpotOrchestrator.Tests.Fuzz;

/// <summary>Plausible-but-hostile bodies for each parser and endpoint (see <see cref="JsonFuzz"/> for what "hostile" covers).</summary>
internal static class Payloads
{
    /// <summary>Replaced by the real Bot Framework serviceUrl before a Teams activity is sent.</summary>
    public const string ServiceUrlPlaceholder = "https://service-url.invalid/teams/";

    /// <summary>Weight of a plausible field in documents with many fields (against 4 for a hostile one).</summary>
    private const int Often = 60;

    private static readonly Gen<string> Id = Digits(1, 9_999_999_999);

    public static readonly Gen<string> WebhookEvent = Object(
        ("eventId", Id),
        ("portalId", Digits(1, 99_999)),
        ("subscriptionType", Str("deal.propertyChange", "deal.creation", "company.creation", "contact.propertyChange", "object.creation", "deal.associationChange", "nodot", ".x", "x.")),
        ("objectId", Id),
        ("occurredAt", Digits(0, 253_402_300_799_999)),
        ("appId", Digits(0, 999_999)),
        ("attemptNumber", Digits(0, 10)),
        ("propertyName", Str("dealstage", "amount", "discount_percentage", "name")),
        ("propertyValue", Gen.OneOf(Str("closedwon", "contractsent", "Acme"), Digits(0, 1_000_000))),
        ("changeSource", Str("CRM_UI", "INTEGRATION")),
        ("sourceId", Str("userId:77", "app:123")),
        ("associationType", Str("DEAL_TO_COMPANY")),
        ("associationRemoved", Gen.OneOf("true", "false")),
        ("objectTypeId", Str("0-3", "2-123")));

    public static readonly Gen<string> WebhookBatch = Gen.Frequency((6, WebhookEvent), (1, Value)).Array[0, 6].Select(e => "[" + string.Join(",", e) + "]");

    private static readonly Gen<string> IdOrText = Gen.OneOf(Id, Id.Select(Quote));

    public static readonly Gen<string> WorkflowRecord = Object(
        ("objectId", IdOrText), ("id", IdOrText), ("vid", IdOrText), ("portalId", IdOrText), ("objectType", Str("deal", "company", "contact")),
        ("properties", Object(("hs_object_id", Gen.OneOf(IdOrText, Object(("value", IdOrText)))), ("amount", Digits(0, 100_000)))));

    /// <summary>The query of a workflow-action URL: objectType, action, portalId (raw, percent-encoded where needed).</summary>
    public static readonly Gen<Dictionary<string, string>> WorkflowQuery =
        Gen.Select(Gen.Frequency((4, Gen.OneOf("deal", "company", "contact")), (1, Text)), Gen.Frequency((4, Gen.OneOf("procurement-approval", "")), (1, Text)), Gen.Frequency((4, Digits(0, 99_999)), (1, Text)))
            .Select(t => new Dictionary<string, string> { ["objectType"] = t.Item1, ["action"] = t.Item2, ["portalId"] = t.Item3 });

    public static readonly Gen<string> SlackEvent = Object(
        ("type", Str("url_verification", "event_callback", "app_rate_limited")),
        ("challenge", Str("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")),
        ("event_id", Str("Ev0PV52K21")),
        ("team_id", Str("T1DC2JH3J")),
        ("event_time", Digits(0, 2_000_000_000)),
        ("event", Object(
            ("type", Str("app_mention", "message")), ("subtype", Str("bot_message", "message_changed")), ("channel_type", Str("im", "channel")),
            ("user", Str("U2CERLKJA", "U0UNKNOWN")), ("bot_id", Str("B1")), ("text", Str("status 9003", "help", "pending", "runs failed", "<@U1> help")),
            ("channel", Str("D2CERLKJA", "C0APPROVALS")), ("ts", Str("1764086400.000100")), ("thread_ts", Str("1764086300.000100")))));

    /// <summary>What a card button carries: an approval or exception id and a token.</summary>
    public static readonly Gen<string> ButtonData = Object(
        ("approvalId", Str("apr_run_1", "apr_" + new string('x', 300))), ("exceptionId", Str("exc_1")), ("token", Str("tok")), ("verb", Str("approve", "reject")));

    private static readonly Gen<string> SlackAction = Object(Often, 
        ("action_id", Str("approve", "reject", "refreshCard", "skip", "supplyValue", "retry")), ("block_id", Str("decision")),
        ("value", Gen.Frequency((4, ButtonData.Select(Escape).Select(Quote)), (1, Text.Select(Quote)))), ("type", Str("button")), ("action_ts", Str("1764086401.000200")));

    public static readonly Gen<string> SlackInteraction = Object(Often, 
        ("type", Str("block_actions", "view_submission", "shortcut")),
        ("user", Object(Often, ("id", Str("U2CERLKJA", "U0UNKNOWN")), ("username", Str("priya")), ("team_id", Str("T1DC2JH3J")))),
        ("team", Object(Often, ("id", Str("T1DC2JH3J")))),
        ("container", Object(Often, ("channel_id", Str("C0APPROVALS")), ("message_ts", Str("1764086400.000100")), ("is_ephemeral", Gen.OneOf("true", "false")))),
        ("channel", Object(Often, ("id", Str("C0APPROVALS")))),
        ("message", Object(Often, ("ts", Str("1764086400.000100")))),
        ("response_url", Str("https://hooks.slack.com/actions/T1/1/xyz")),
        ("actions", SlackAction.Array[0, 3].Select(a => "[" + string.Join(",", a) + "]")),
        ("state", Object(Often, ("values", Object(Often, ("block", Object(Often, ("suppliedValue", Object(Often, ("value", Str("v")), ("selected_option", Object(Often, ("value", Str("o")))))))))))));

    /// <summary>The interactivity form body: <c>payload=</c> and the JSON, its bytes percent-encoded (invalid UTF-8 included).</summary>
    public static readonly Gen<byte[]> SlackInteractionForm = Gen.Frequency(
        (8, Body(SlackInteraction).Select(b => Utf8("payload=" + FormEncode(b)))),
        (1, Gen.Byte.Array[0, 200]),
        (1, Text.Select(t => Utf8("payload=" + t))));

    public static readonly Gen<byte[]> SlackCommandForm = Gen.Select(
            Gen.Frequency((4, Gen.Const("/hso")), (1, Text)),
            Gen.Frequency((4, Gen.OneOf("status 9003", "pending", "help", "runs failed", "status Acme")), (2, Text)),
            Gen.Frequency((4, Gen.OneOf("U2CERLKJA", "U0UNKNOWN")), (1, Text), (1, Gen.Const(""))),
            Gen.Frequency((4, Gen.Const("https://hooks.slack.com/commands/T1/1/x")), (1, Text)))
        .Select(t => Utf8(string.Join("&", new[] { ("command", t.Item1), ("text", t.Item2), ("user_id", t.Item3), ("response_url", t.Item4), ("channel_id", "D2CERLKJA") }
            .Select(f => f.Item1 + "=" + FormEncode(Utf8(f.Item2))))));

    private static readonly Gen<string> Account = Object(Often, ("id", Str("29:1user-aad-77", "29:stranger")), ("name", Str("Priya Raman")), ("aadObjectId", Str("00000000-0000-0000-0000-000000000077")));

    public static readonly Gen<string> TeamsActivity = Object(Often, 
        ("type", Str("message", "invoke", "conversationUpdate", "installationUpdate", "messageReaction")),
        ("id", Str("f:1")),
        ("timestamp", Str("2026-11-25T16:00:00.000Z")),
        ("serviceUrl", Str(ServiceUrlPlaceholder)),
        ("channelId", Str("msteams")),
        ("from", Account),
        ("recipient", Object(Often, ("id", Str("28:11111111-2222-3333-4444-555555555555")), ("name", Str("HubSpot Orchestrator")))),
        ("conversation", Object(Often, ("id", Str("a:1Xq-personal-chat")), ("conversationType", Str("personal")), ("tenantId", Str("tenant-0001")))),
        ("channelData", Object(Often, ("tenant", Object(Often, ("id", Str("tenant-0001")))))),
        ("text", Str("status 9003", "help", "pending", "<at>HubSpot Orchestrator</at> help")),
        ("name", Str("adaptiveCard/action", "task/fetch")),
        ("replyToId", Str("1764086399999")),
        ("value", Gen.OneOf(Object(Often, ("action", Object(Often, ("type", Str("Action.Execute")), ("verb", Str("approve", "reject", "refreshCard")), ("data", ButtonData)))), ButtonData)),
        ("entities", Object(Often, ("type", Str("mention")), ("text", Str("<at>HubSpot Orchestrator</at>")), ("mentioned", Object(Often, ("id", Str("28:11111111-2222-3333-4444-555555555555"))))).Array[0, 2].Select(a => "[" + string.Join(",", a) + "]")),
        ("action", Str("add", "remove")),
        ("membersAdded", Account.Array[0, 2].Select(a => "[" + string.Join(",", a) + "]")));

    public static readonly Gen<string> DecisionBody = Object(("decision", Str("approve", "reject", "maybe")), ("comment", Str("ok")));

    public static readonly Gen<string> FixBody = Object(("reason", Str("done by hand")), ("name", Str("amount")), ("value", Str("100")));
}
