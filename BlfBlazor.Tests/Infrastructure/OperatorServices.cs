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
        services.AddSingleton<AuthenticationStateProvider, AnonymousViewer>();
        services.TryAddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.TryAddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddOptions<PrivacyOptions>();
        services.AddSingleton(provider => new OperatorDesk(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), provider.GetRequiredService<UserDirectory>(), provider.GetRequiredService<TimeProvider>(), NullLogger<OperatorDesk>.Instance));
        services.TryAddSingleton(provider => new OperatorRoster(
            Microsoft.Extensions.Options.Options.Create(new OperatorOptions()), provider.GetRequiredService<UserDirectory>(), NullLogger<OperatorRoster>.Instance, signInEnabled: false));
        services.TryAddSingleton<OperatorAudit>();
        services.AddSingleton<OperatorActions>();
        return services;
    }

    private sealed class AnonymousViewer : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity())));
    }
}
