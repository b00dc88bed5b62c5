using System.Text;
using System.Text.Json;
using CsCheck;
using HubSpotOrchestrator.Channels.Slack;
using HubSpotOrchestrator.Channels.Teams;
using HubSpotOrchestrator.Shared;
using HubSpotOrchestrator.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace HubSpotOrchestrator.Tests.Fuzz;

/// <summary>
/// Property: whatever a sender puts in a body, the parsers answer with a value or a clear error (a quarantine reason, a
/// <see cref="SlackPayloadException"/>, a <see cref="JsonException"/> the endpoint maps to 400) and never throw anything
/// else; and what they hand to the stores can be stored (no lone surrogate, ids within their bounds).
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly DateTime Now = new(2026, 11, 25, 16, 0, 0, DateTimeKind.Utc);
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Fact]
    public void WebhookBatchParser_AnswersEveryBodyWithEventsQuarantineOrAnError() => Property.ForAll(JsonFuzz.Body(Payloads.WebhookBatch), body =>
    {
        var parsed = WebhookBatchParser.Parse(body, "b-fuzz", Now, out var error);
        if (parsed is null)
        {
            Assert.False(string.IsNullOrEmpty(error));
            return;
        }

        foreach (var e in parsed.Events)
        {
            Storable(e.Id, e.EventId, e.SubscriptionType, e.ObjectType, e.PropertyName, e.PropertyValue, e.ChangeSource, e.SourceId, e.AssociationType, e.Raw, e.CorrelationId);
            Assert.All(new[] { e.SubscriptionType, e.ObjectType, e.PropertyName, e.ChangeSource, e.SourceId, e.AssociationType }, s => Assert.True((s?.Length ?? 0) <= SafeJson.MaxIdLength));
            Assert.InRange(e.OccurredAt, DateTime.UnixEpoch, DateTime.MaxValue);
        }

        foreach (var q in parsed.Quarantined)
        {
            Assert.False(string.IsNullOrWhiteSpace(q.Reason));
            Storable(q.Id, q.Raw, q.Reason, q.EventId, q.RawBase64);
            Assert.True((q.EventId?.Length ?? 0) <= 32, q.EventId);
        }
    }, iterations: 1500, seed: 1);

    [Fact]
    public void WorkflowActionParser_AnswersEveryRecordWithAnEventQuarantineOrAnError() =>
        Property.ForAll(Gen.Select(JsonFuzz.Body(Payloads.WorkflowRecord), Payloads.WorkflowQuery), input =>
        {
            var query = new QueryCollection(input.Item2.ToDictionary(q => q.Key, q => new StringValues(q.Value)));
            var parsed = WorkflowActionParser.Parse(input.Item1, query, "b-fuzz", Now, out var error);
            if (parsed is null)
            {
                Assert.False(string.IsNullOrEmpty(error));
                return;
            }

            Assert.Equal(1, parsed.Events.Count + parsed.Quarantined.Count);
            foreach (var e in parsed.Events)
            {
                Storable(e.Id, e.ObjectType, e.WorkflowAction, e.Raw);
                Assert.True(e.ObjectType.Length <= SafeJson.MaxIdLength && (e.WorkflowAction?.Length ?? 0) <= SafeJson.MaxIdLength);
            }

            Assert.All(parsed.Quarantined, q => Storable(q.Raw, q.Reason, q.EventId, q.RawBase64));
        }, iterations: 1000, seed: 2, print: i => Property.Print(i.Item1) + " ?" + string.Join("&", i.Item2.Select(q => $"{q.Key}={Property.Print(q.Value)}")));

    [Fact]
    public void SlackEventsParser_AnswersEveryBodyWithARequestOrAPayloadError() => Property.ForAll(JsonFuzz.Body(Payloads.SlackEvent), body =>
    {
        try
        {
            var request = SlackPayloadParser.ParseEvents(Encoding.UTF8.GetString(body));
            if (request is SlackEventCallback callback)
            {
                Storable(callback.EventId, callback.Event.User, callback.Event.Channel, callback.Event.Text);
                Assert.True(callback.EventId.Length <= SafeJson.MaxIdLength);
                _ = SlackEndpoints.CommandText(callback.Event.Text);
            }
        }
        catch (SlackPayloadException ex)
        {
            Assert.False(string.IsNullOrEmpty(ex.Message));
        }
    }, iterations: 1500, seed: 3);

    [Fact]
    public void SlackInteractionParser_AnswersEveryFormWithAnInteractionOrAPayloadError() => Property.ForAll(Payloads.SlackInteractionForm, body =>
    {
        try
        {
            var interaction = SlackPayloadParser.ParseInteraction(Encoding.UTF8.GetString(body));
            var inputs = SlackEndpoints.StateValues(interaction.Raw);
            Storable([.. inputs.Keys, .. inputs.Values]);
            foreach (var action in interaction.BlockActions?.Actions ?? [])
            {
                Assert.True(action.ActionId.Length <= SafeJson.MaxIdLength && (action.Value?.Length ?? 0) <= SlackPayloadParser.MaxActionValueLength);
                var data = action.Value is null ? null : SlackEndpoints.ActionData(action.Value, inputs);
                Storable(SafeJson.Text(data, "approvalId"), SafeJson.Text(data, "exceptionId"), SafeJson.Text(data, "token"), data?.ToJsonString());
            }
        }
        catch (SlackPayloadException ex)
        {
            Assert.False(string.IsNullOrEmpty(ex.Message));
        }
    }, iterations: 1500, seed: 4);

    [Fact]
    public void SlackSlashCommandParser_AnswersEveryFormWithACommandOrAPayloadError() => Property.ForAll(Payloads.SlackCommandForm, body =>
    {
        try
        {
            var command = SlackPayloadParser.ParseSlashCommand(Encoding.UTF8.GetString(body));
            Storable(command.UserId, command.Text, command.Command);
            Assert.True(command.UserId.Length <= SafeJson.MaxIdLength);
        }
        catch (SlackPayloadException ex)
        {
            Assert.False(string.IsNullOrEmpty(ex.Message));
        }
    }, iterations: 1000, seed: 5);

    [Fact]
    public void TeamsActivityParsing_AnswersEveryBodyWithAnActivityOrAnError() => Property.ForAll(JsonFuzz.Body(Payloads.TeamsActivity), body =>
    {
        // What /api/messages does before the bot: body text and depth, the typed parse, id bounds; then what the bot reads.
        if (SafeJson.Validate(body) is { } problem)
        {
            Assert.False(string.IsNullOrEmpty(problem));
            return;
        }

        Activity activity;
        try
        {
            activity = ActivityJson.Parse(Encoding.UTF8.GetString(body));
        }
        catch (JsonException)
        {
            return;
        }

        if (activity.OverlongField() is not null)
        {
            return;
        }

        Storable(activity.Id, activity.Type, activity.TenantId, activity.From?.Id, activity.Conversation?.Id, TeamsBot.StripMentions(activity));
        if (activity.Value is { } value)
        {
            var data = SafeJson.ParseObject(SafeJson.RawText(value), out _);
            Storable(SafeJson.Text(data, "verb"), SafeJson.Text(data, "approvalId"), data?.ToJsonString());
        }

        try
        {
            Storable(ConversationReference.FromActivity(activity).ConversationId);
        }
        catch (ArgumentException)
        {
            // A missing field the endpoint answers 400 for.
        }
    }, iterations: 1500, seed: 6);

    [Fact]
    public void SafeJson_NeverThrows_OnAnyBytes() => Property.ForAll(Gen.Frequency((3, JsonFuzz.Body(JsonFuzz.Value)), (1, Gen.Byte.Array[0, 200])), body =>
    {
        var problem = SafeJson.Validate(body);
        var text = Encoding.UTF8.GetString(body);
        var parsed = SafeJson.ParseObject(text, out var parseProblem);
        Assert.True(parsed is not null || parseProblem is not null);
        if (problem is null && parsed is not null)
        {
            foreach (var (name, _) in parsed)
            {
                Storable(name, SafeJson.Text(parsed, name));
            }
        }
    }, iterations: 2000, seed: 7);

    /// <summary>LiteDB stores strings as UTF-8 and throws for a lone surrogate; every string handed to a store must encode.</summary>
    private static void Storable(params string?[] values)
    {
        foreach (var value in values)
        {
            if (value is not null)
            {
                _ = StrictUtf8.GetByteCount(value);
            }
        }
    }
}
