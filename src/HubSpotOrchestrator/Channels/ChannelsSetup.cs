using HubSpotOrchestrator.Approvals;
using HubSpotOrchestrator.Workflows.Engine;

namespace HubSpotOrchestrator.Channels;

internal static class ChannelsSetup
{
    /// <summary>The parts every chat channel shares: cards for prompts, the click path, the bot's commands.</summary>
    public static IServiceCollection AddChatCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChannelOptions>().Bind(configuration.GetSection(ChannelOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PromptDispatcher>();
        services.AddTransient<PromptDeliveryJob>();
        services.AddSingleton<ActionTokens>();
        services.AddSingleton<PromptCards>();
        services.AddSingleton<IApprovalListener, ApprovalPrompts>();
        services.AddSingleton<ChatActions>();
        services.AddSingleton<BotCommands>();
        services.AddSingleton<IRunObserver, ExceptionPrompter>();
        return services;
    }
}
