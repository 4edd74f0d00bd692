using System.Security.Cryptography.X509Certificates;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Core.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>
/// One test's world: a quiet simulated PBX on loopback, the apps a test starts against it, and,
/// for browser tests, the pages opened on them. Stopped in the order that keeps every stop quick:
/// pages first (an app stopping under open circuits waits them out), then apps, then the PBX.
/// </summary>
/// <param name="users">How many users the PBX has.</param>
/// <param name="seed">Fixes their names and lamps, so a failure can be replayed.</param>
/// <param name="secret">The app's shared secret; a test that looks for leaks chooses a distinctive one.</param>
/// <param name="chromium">The test class's browser, whose pages are closed before the apps stop.</param>
/// <param name="certificate">Serve wss:// with this certificate instead of ws://.</param>
/// <param name="objects">The PBX also lists its objects (the waiting queues Reception and Support, a trunk, a Boolean object), which get no tile.</param>
/// <param name="variants">How the PBX reports what the reference leaves open; null: the simulator's defaults.</param>
public sealed class BoardTestHost(int users, int seed, string secret = BoardTestHost.DefaultSecret, ChromiumFixture? chromium = null, X509Certificate2? certificate = null, bool objects = false, ProtocolVariants? variants = null) : IAsyncDisposable
{
    public const string AppName = "rcc";
    public const string DefaultSecret = "test-secret-0815";

    private readonly List<BoardApp> _apps = [];
    private SimulatorServer? _simulator;
    private BoardApp? _app;
    private TestIdentityProvider? _identityProvider;

    public string Secret => secret;

    public SimulatorServer Simulator => _simulator ?? throw new InvalidOperationException($"Call {nameof(StartAsync)} first.");

    public SimulatedPbx Pbx => Simulator.Pbx;

    /// <summary>The app <see cref="StartWithLiveAppAsync"/> started, for classes whose tests share one.</summary>
    public BoardApp App => _app ?? throw new InvalidOperationException($"Call {nameof(StartWithLiveAppAsync)} first.");

    /// <summary>The OpenID Connect provider <see cref="StartIdentityProviderAsync"/> started.</summary>
    public TestIdentityProvider IdentityProvider => _identityProvider ?? throw new InvalidOperationException($"Call {nameof(StartIdentityProviderAsync)} first.");

    /// <summary>Starts an OpenID Connect provider that knows these people, stopped with this host.</summary>
    /// <param name="clientSecret">The board's client secret; a test that looks for leaks chooses a distinctive one.</param>
    /// <param name="certificate">Serve the provider over https:// with this certificate.</param>
    public async Task<TestIdentityProvider> StartIdentityProviderAsync(IEnumerable<TestPerson> people, string clientSecret = "test-client-secret-4711", X509Certificate2? certificate = null)
    {
        _identityProvider = await TestIdentityProvider.StartAsync(clientSecret, people, certificate);
        return _identityProvider;
    }

    /// <summary>
    /// Starts an app that signs in through <see cref="IdentityProvider"/> (registered there as the
    /// client) and waits until it is live with every user the PBX has now.
    /// </summary>
    /// <param name="settings">More configuration, e.g. <c>Blf:Operators</c> or <c>Blf:RequireSignIn</c>.</param>
    public async Task<BoardApp> StartLiveSignInAppAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(IdentityProvider.BoardSettings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = StartApp(all);
        await IdentityProvider.RegisterBoardAsync(app.BaseAddress);
        await app.Directory.WaitForLiveAsync(users: Pbx.Users.Count(user => user.IsPerson));
        return app;
    }

    /// <summary>
    /// Signs the page in as this person the way a person does: the board's sign-in, the provider's
    /// login form, back on the board (at <paramref name="returnUrl"/>) with a live circuit.
    /// </summary>
    public static async Task SignInAsync(IPage page, BoardApp app, string login, string returnUrl = "/")
    {
        // Two redirects and the provider's page: wait for the navigation to start, not for every load
        // (the login form's locators wait for the form itself), so a loaded machine is no failure.
        await page.GotoAsync(new Uri(app.BaseAddress, $"signin?returnUrl={Uri.EscapeDataString(returnUrl)}").ToString(), new() { WaitUntil = Microsoft.Playwright.WaitUntilState.Commit });
        await LogInAtProviderAsync(page, login);
        await Assertions.Expect(page.GetByTestId("blf-user")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
    }

    /// <summary>Fills in the test provider's login form, on the page that shows it, as this person.</summary>
    public static async Task LogInAtProviderAsync(IPage page, string login)
    {
        await page.GetByTestId("idp-login").FillAsync(login);
        await page.GetByTestId("idp-submit").ClickAsync();
    }

    /// <summary>Starts the PBX. No events of its own: lamps change only when a test changes them.</summary>
    public async Task StartAsync()
    {
        var options = new SimulatorOptions { App = AppName, Secret = secret, Users = users, EventsPerSecond = 0, Seed = seed, Objects = objects, Variants = variants ?? new ProtocolVariants() };
        _simulator = certificate is null
            ? await SimulatorServer.StartAsync(options)
            : await SimulatorServer.StartAsync(options, certificate);
    }

    /// <summary>Starts the PBX and an app that is live with all of its users (<see cref="App"/>).</summary>
    public async Task StartWithLiveAppAsync(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        await StartAsync();
        _app = await StartLiveAppAsync(settings, time);
    }

    /// <summary>
    /// Starts an app pointed at the PBX, stopped with this host (a test may stop it earlier).
    /// </summary>
    /// <param name="settings">More configuration, as an admin would write it.</param>
    /// <param name="time">The app's clock, when the test decides when time passes.</param>
    /// <param name="pbxUrl">Where the app connects instead of the PBX itself (e.g. a proxy in between).</param>
    /// <param name="secretOverride">A secret other than the PBX's, to be refused.</param>
    /// <param name="port">0 for a free port; a given port lets a test restart the app where browsers expect it.</param>
    /// <param name="services">Replacements for the app's services, e.g. what trusts a test certificate.</param>
    /// <param name="environment">The hosting environment; Production where a test checks what only an installed board does.</param>
    public BoardApp StartApp(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null, Uri? pbxUrl = null, string? secretOverride = null, int port = 0, Action<IServiceCollection>? services = null, string environment = "Development")
    {
        var replacements = services;
        if (time is not null)
        {
            replacements += s => s.AddSingleton(time);
        }

        var app = BoardApp.Start(pbxUrl ?? Simulator.WebSocketUrl, AppName, secretOverride ?? secret, settings, replacements, port, environment);
        lock (_apps)
        {
            _apps.Add(app);
        }

        return app;
    }

    /// <summary>Starts an app and waits until it is live with every user the PBX has now.</summary>
    public async Task<BoardApp> StartLiveAppAsync(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null, Uri? pbxUrl = null)
    {
        var app = StartApp(settings, time, pbxUrl);
        await app.Directory.WaitForLiveAsync(users: Pbx.Users.Count(user => user.IsPerson));
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        if (chromium is not null)
        {
            await chromium.CloseContextsAsync();
        }

        BoardApp[] apps;
        lock (_apps)
        {
            apps = [.. _apps];
            _apps.Clear();
        }

        // Stopping an app twice is harmless, so a test may stop one itself to see what follows.
        for (var i = apps.Length - 1; i >= 0; i--)
        {
            await apps[i].DisposeAsync();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        if (_identityProvider is not null)
        {
            await _identityProvider.DisposeAsync();
        }
    }
}
