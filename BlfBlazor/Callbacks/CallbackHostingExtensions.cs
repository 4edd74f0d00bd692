using BlfBlazor.Store;

namespace BlfBlazor.Callbacks;

public static class CallbackHostingExtensions
{
    /// <summary>Callbacks: the book the boards read and the store keeps and shares. Call after <c>AddMissedCalls</c> (whose options it shares).</summary>
    public static WebApplicationBuilder AddCallbacks(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CallbackBook>();
        builder.Services.AddSingleton<IKeptInStore>(services => services.GetRequiredService<CallbackBook>());
        builder.Services.AddSingleton<ISharedInStore>(services => services.GetRequiredService<CallbackBook>());
        return builder;
    }
}
