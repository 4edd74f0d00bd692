using System.Security.Claims;
using BlfBlazor.Operators;
using BlfBlazor.State;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>What a board needs for operator actions in a component test: an anonymous viewer by default.</summary>
internal static class OperatorServices
{
    public static IServiceCollection AddBoardOperatorServices(this IServiceCollection services)
    {
        services.AddSingleton<AuthenticationStateProvider, TestViewer>();
        services.TryAddSingleton(new OperatorOptions());
        services.TryAddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.TryAddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddOptions<PrivacyOptions>();
        services.AddSingleton(provider => new OperatorDesk(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), provider.GetRequiredService<UserDirectory>(), provider.GetRequiredService<TimeProvider>(), NullLogger<OperatorDesk>.Instance));
        services.TryAddSingleton(provider =>
        {
            var operators = provider.GetRequiredService<OperatorOptions>();
            return new OperatorRoster(
                Microsoft.Extensions.Options.Options.Create(operators), provider.GetRequiredService<UserDirectory>(), NullLogger<OperatorRoster>.Instance, signInEnabled: operators.Operators.Count > 0);
        });
        services.TryAddSingleton<OperatorAudit>();

        // Callbacks the operators take: in memory, with a store queue nobody saves.
        services.AddOptions<BlfBlazor.Store.StoreOptions>();
        services.TryAddSingleton<BlfBlazor.Store.StoreStatus>();
        services.TryAddSingleton<BlfBlazor.Store.StoreWrites>();
        services.TryAddSingleton<BlfBlazor.Callbacks.CallbackBook>();
        services.TryAddSingleton<MyCalls>();
        services.AddSingleton<OperatorActions>();

        // A signed-in person's board (favourites, views): the book, its writes queued for a store nobody drains.
        services.TryAddSingleton(provider => new BlfBlazor.Store.StoreWrites(
            Microsoft.Extensions.Options.Options.Create(new BlfBlazor.Store.StoreOptions()), new BlfBlazor.Store.StoreStatus(), provider.GetRequiredService<TimeProvider>(), NullLogger<BlfBlazor.Store.StoreWrites>.Instance));
        services.TryAddSingleton(provider => new BlfBlazor.PersonalBoards.PersonalBoardBook(
            provider.GetRequiredService<BlfBlazor.Store.StoreWrites>(), Microsoft.Extensions.Options.Options.Create(new BlfBlazor.PersonalBoards.PersonalBoardOptions()), provider.GetRequiredService<TimeProvider>(), NullLogger<BlfBlazor.PersonalBoards.PersonalBoardBook>.Instance));
        return services;
    }

    /// <summary>
    /// Before the first render: Olivia (<c>sub</c> "olivia") views the board, an operator whose phone is the PBX
    /// user <paramref name="phone"/>. (A bUnit context takes no new services once it handed one out.) Returns
    /// the authentication state for the board's cascading parameter, as the app's router would give it.
    /// </summary>
    public static Task<AuthenticationState> SignInOperator(this IServiceProvider services, string phone)
    {
        services.GetRequiredService<OperatorOptions>().Operators = [new OperatorEntry { User = "olivia", Phone = phone }];
        var viewer = (TestViewer)services.GetRequiredService<AuthenticationStateProvider>();
        viewer.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "olivia"), new Claim("name", "Olivia Operator")], "test", "name", "roles"));
        return viewer.GetAuthenticationStateAsync();
    }

    /// <summary>Anonymous until a test signs someone in.</summary>
    private sealed class TestViewer : AuthenticationStateProvider
    {
        public ClaimsPrincipal User { get; set; } = new(new ClaimsIdentity());

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(User));
    }
}
