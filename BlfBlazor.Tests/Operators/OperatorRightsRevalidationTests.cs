using System.Security.Claims;
using BlfBlazor.Operators;
using BlfBlazor.State;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Operators;

/// <summary>Rights do not outlive revocation: the roster follows reloaded settings, and an open board is told within one recheck interval.</summary>
[Trait("Category", "Unit")]
public sealed class OperatorRightsRevalidationTests : IDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly IConfigurationRoot _configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Blf:Operators:0:User"] = "olivia",
        ["Blf:Operators:0:Phone"] = "Olivia Operator",
    }).Build();

    private readonly ServiceProvider _services;
    private readonly OperatorRoster _roster;
    private readonly OperatorRightsRevalidation _circuit;

    public OperatorRightsRevalidationTests()
    {
        // The settings as the app binds them, so a reload reaches the roster the way it does in the app.
        var services = new ServiceCollection();
        services.AddOptions<OperatorOptions>().Bind(_configuration.GetSection(OperatorOptions.SectionName));
        _services = services.BuildServiceProvider();
        _roster = new OperatorRoster(
            _services.GetRequiredService<IOptionsMonitor<OperatorOptions>>(),
            new UserDirectory(_time, new PbxDescription("pbx.test", IsDemo: false)),
            NullLogger<OperatorRoster>.Instance,
            signInEnabled: true);
        _circuit = new OperatorRightsRevalidation(
            _roster, Options.Create(new OperatorOptions { RightsRecheckInterval = s_interval }), _time, NullLogger<OperatorRightsRevalidation>.Instance);
    }

    /// <summary>Olivia as the test identity provider signs her in (its sub is her login).</summary>
    private static ClaimsPrincipal Olivia => new(new ClaimsIdentity(
        [new Claim("sub", "olivia"), new Claim("name", "Olivia Operator")], "test", "name", "roles"));

    [Fact]
    public async Task An_operator_taken_out_of_the_settings_loses_the_rights_at_once_and_the_open_board_is_told_within_one_interval()
    {
        _circuit.SetAuthenticationState(Task.FromResult(new AuthenticationState(Olivia)));
        Task<AuthenticationState>? announced = null;
        _circuit.AuthenticationStateChanged += state => announced = state;
        Assert.Equal("Olivia Operator", _roster.Resolve(Olivia)?.PhoneCn);

        _configuration["Blf:Operators:0:User"] = "someone.else";
        _configuration.Reload();

        // Every action asks the roster: refused from now on.
        Assert.Null(_roster.Resolve(Olivia));

        _time.Advance(s_interval - TimeSpan.FromSeconds(1));
        Assert.Null(announced);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.NotNull(announced);
        var state = await announced;
        Assert.Equal("olivia", state.User.FindFirst("sub")?.Value);
        Assert.Null(_roster.Resolve(state.User));
    }

    [Fact]
    public void A_board_whose_viewer_keeps_the_same_rights_is_not_told_anything()
    {
        _circuit.SetAuthenticationState(Task.FromResult(new AuthenticationState(Olivia)));
        var announcements = 0;
        _circuit.AuthenticationStateChanged += _ => announcements++;

        _configuration["Blf:Operators:1:User"] = "someone.else";
        _configuration["Blf:Operators:1:Phone"] = "Someone Else";
        _configuration.Reload();
        _time.Advance(s_interval * 3);

        Assert.Equal(0, announcements);
    }

    public void Dispose()
    {
        _circuit.Dispose();
        _services.Dispose();
    }
}
