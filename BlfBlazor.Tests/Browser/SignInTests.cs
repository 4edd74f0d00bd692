using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>
/// Sign-in through a real OpenID Connect provider in a real browser: who is signed in, who is an
/// operator, signing out, and <c>Blf:RequireSignIn</c>.
/// </summary>
[Trait("Category", "Browser")]
public sealed class SignInTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    // Distinctive, so a hit anywhere is certainly a leak.
    private const string ClientSecret = "Okapi-Client-Secret-5e3b09";

    private static readonly TestPerson s_operator = new("anna.op", "Anna Operator");
    private static readonly TestPerson s_viewer = new("bernd.view", "Bernd Viewer");

    // Playwright's way to say "has no such attribute": not one with any value.
    private static readonly Regex s_anyValue = new(".*");

    private readonly BoardTestHost _host = new(users: 8, seed: 12, chromium: chromium);

    public async Task InitializeAsync()
    {
        await _host.StartAsync();
        await _host.StartIdentityProviderAsync([s_operator, s_viewer], ClientSecret);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Dictionary<string, string?> OperatorList => new()
    {
        ["Blf:Operators:0:User"] = s_operator.Login,
        ["Blf:Operators:0:Phone"] = _host.Pbx.Users[0].Cn,
    };

    [Fact]
    public async Task Without_OpenID_Connect_the_board_offers_no_sign_in()
    {
        var app = await _host.StartLiveAppAsync();
        var page = await chromium.NewPageAsync();

        await page.GotoAsync(app.BaseAddress.ToString());

        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("blf-signin-status")).ToHaveCountAsync(0);
        await Expect(board).Not.ToHaveAttributeAsync("data-operator", s_anyValue);
        using var http = app.CreateHttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/signin", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task An_operator_signs_in_through_the_provider_acts_as_operator_and_signs_out()
    {
        var app = await _host.StartLiveSignInAppAsync(OperatorList);
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "?sort=state").ToString());
        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("blf-signin")).ToBeVisibleAsync();
        await Expect(board).Not.ToHaveAttributeAsync("data-operator", s_anyValue);

        // The header's own link, through the provider's login form, back to the same view.
        await page.GetByTestId("blf-signin").ClickAsync();
        await BoardTestHost.LogInAtProviderAsync(page, s_operator.Login);

        await Expect(page.GetByTestId("blf-user")).ToHaveTextAsync(s_operator.Name);
        await Expect(board).ToHaveAttributeAsync("data-operator", s_operator.Name);
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        Assert.Equal(new Uri(app.BaseAddress, "?sort=state"), new Uri(page.Url));
        await Expect(page.GetByTestId("blf-signin")).ToHaveCountAsync(0);
        Assert.Single(app.Logs.Entries, e => e.Category == "BlfBlazor.Audit" && e.Text.StartsWith($"Signed in: {s_operator.Login} ({s_operator.Name}) at ", StringComparison.Ordinal));

        // A post that carries the session cookie but not the page's antiforgery token (as another
        // site's form would) signs nobody out.
        var forged = await page.APIRequest.PostAsync(new Uri(app.BaseAddress, "signout").ToString(), new() { MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.BadRequest, forged.Status);
        await page.ReloadAsync();
        await Expect(board).ToHaveAttributeAsync("data-operator", s_operator.Name);

        await page.GetByTestId("blf-signout").ClickAsync();

        await Expect(page.GetByTestId("blf-signin")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("blf-user")).ToHaveCountAsync(0);
        await Expect(board).Not.ToHaveAttributeAsync("data-operator", s_anyValue);
        await app.Logs.WaitForAsync(e => e.Category == "BlfBlazor.Audit" && e.Text.StartsWith($"Signed out: {s_operator.Login} at ", StringComparison.Ordinal), 1, "the sign-out audited");

        // Who and when, never a token (a JWT starts with the encoding of '{"').
        Assert.DoesNotContain(app.Logs.Entries, e => e.Category == "BlfBlazor.Audit" && e.Text.Contains("eyJ", StringComparison.Ordinal));

        // Gone for good, not just from this render: a new page load is anonymous too.
        await page.ReloadAsync();
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("blf-signin")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_operator_taken_out_of_the_settings_loses_the_buttons_on_the_open_board_without_a_reload()
    {
        var settings = OperatorList;
        settings["Blf:RightsRecheckInterval"] = "00:00:00.2";
        var app = await _host.StartLiveSignInAppAsync(settings);
        var page = await chromium.NewPageAsync();
        await BoardTestHost.SignInAsync(page, app, s_operator.Login);
        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-operator", s_operator.Name);

        // A sign-in lasts a shift from signing in, however busy the board (not sliding).
        var cookie = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        Assert.False(cookie.SlidingExpiration);
        Assert.Equal(TimeSpan.FromHours(10), cookie.ExpireTimeSpan);

        // The admin edits the settings of the running app (as appsettings.json reloads).
        var configuration = (IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>();
        configuration["Blf:Operators:0:User"] = "someone.else";
        configuration.Reload();

        await Expect(board).Not.ToHaveAttributeAsync("data-operator", s_anyValue);
        await Expect(page.Locator("[data-action]")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("blf-user")).ToHaveTextAsync(s_operator.Name);
    }

    [Fact]
    public async Task A_signed_in_non_operator_watches_like_an_anonymous_viewer()
    {
        var app = await _host.StartLiveSignInAppAsync(OperatorList);
        var page = await chromium.NewPageAsync();

        await BoardTestHost.SignInAsync(page, app, s_viewer.Login);

        await Expect(page.GetByTestId("blf-user")).ToHaveTextAsync(s_viewer.Name);
        await Expect(page.GetByTestId("blf-board")).Not.ToHaveAttributeAsync("data-operator", s_anyValue);
        await Expect(page.GetByTestId("blf-signout")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_role_holder_is_an_operator_when_a_PBX_user_has_their_login_as_h323()
    {
        var phone = _host.Pbx.Users[3];
        var provider = _host.IdentityProvider;
        await using var roles = await TestIdentityProvider.StartAsync(provider.ClientSecret,
        [
            new TestPerson(phone.H323.ToUpperInvariant(), "Carla Switchboard", "staff", "switchboard"),
            new TestPerson("nobody.on.the.pbx", "Dieter Nophone", "switchboard"),
        ]);
        var settings = new Dictionary<string, string?>(roles.BoardSettings) { ["Blf:OperatorRole"] = "switchboard" };
        var app = _host.StartApp(settings);
        await roles.RegisterBoardAsync(app.BaseAddress);
        await app.Directory.WaitForLiveAsync(users: _host.Pbx.Users.Count);

        var carla = await chromium.NewPageAsync();
        await BoardTestHost.SignInAsync(carla, app, phone.H323.ToUpperInvariant());
        await Expect(carla.GetByTestId("blf-board")).ToHaveAttributeAsync("data-operator", "Carla Switchboard");

        var dieter = await chromium.NewPageAsync();
        await BoardTestHost.SignInAsync(dieter, app, "nobody.on.the.pbx");
        await Expect(dieter.GetByTestId("blf-board")).Not.ToHaveAttributeAsync("data-operator", s_anyValue);
        Assert.Contains(app.Logs.Entries, e => e.Text.Contains("nobody.on.the.pbx has the operator role switchboard", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_framed_board_offers_a_new_tab_to_sign_in_and_a_wall_screen_offers_nothing()
    {
        await using var portal = await PortalPage.StartAsync();
        var app = await _host.StartLiveSignInAppAsync(new Dictionary<string, string?> { ["Blf:FrameAncestors"] = portal.OriginText });

        var page = await chromium.NewPageAsync();
        await page.GotoAsync(portal.PageFor(app.BaseAddress).ToString());
        var frame = page.FrameLocator("#blf");
        await Expect(frame.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(frame.GetByTestId("blf-signin")).ToBeHiddenAsync();
        var newTab = frame.GetByTestId("blf-signin-new-tab");
        await Expect(newTab).ToBeVisibleAsync();
        await Expect(newTab).ToHaveAttributeAsync("target", "_blank");

        var tab = await page.Context.RunAndWaitForPageAsync(() => newTab.ClickAsync());
        await Expect(tab.GetByTestId("idp-login")).ToBeVisibleAsync();

        var kiosk = await chromium.NewPageAsync();
        await kiosk.GotoAsync(new Uri(app.BaseAddress, "?kiosk").ToString());
        await Expect(kiosk.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(kiosk.GetByTestId("blf-signin-status")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task RequireSignIn_sends_anonymous_pages_to_the_provider_and_refuses_an_anonymous_circuit()
    {
        var app = await _host.StartLiveSignInAppAsync(new Dictionary<string, string?> { ["Blf:RequireSignIn"] = "true" });
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        using var pageResponse = await http.GetAsync(new Uri("/?q=anna", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, pageResponse.StatusCode);
        Assert.StartsWith(new Uri(_host.IdentityProvider.Authority, "connect/authorize").ToString(), pageResponse.Headers.Location!.ToString(), StringComparison.Ordinal);

        // The circuit's hub: neither its negotiation nor a WebSocket straight to it lets anyone in.
        using var negotiate = await http.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);
        Assert.NotEqual(HttpStatusCode.OK, negotiate.StatusCode);
        using var socket = new ClientWebSocket();
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://{app.BaseAddress.Authority}/_blazor"), CancellationToken.None));
        Assert.NotEqual(WebSocketState.Open, socket.State);

        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // A person lands on the provider's login, and after it on the board they asked for.
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "?q=anna").ToString());
        await BoardTestHost.LogInAtProviderAsync(page, s_viewer.Login);
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("blf-user")).ToHaveTextAsync(s_viewer.Name);
        Assert.Equal(new Uri(app.BaseAddress, "?q=anna"), new Uri(page.Url));
    }

    [Fact]
    public async Task The_client_secret_reaches_no_page_script_circuit_message_or_log()
    {
        var app = await _host.StartLiveSignInAppAsync(OperatorList);
        var page = await chromium.NewPageAsync();
        await BoardTestHost.SignInAsync(page, app, s_operator.Login);

        // The signed-in board afresh, every script and style from the server (routing keeps
        // Chromium's cache out), and its circuit carrying updates.
        await page.RouteAsync("**/*", route => route.ContinueAsync());
        var traffic = PageTraffic.Record(page);
        await page.ReloadAsync();
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-operator", s_operator.Name);
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        var user = _host.Pbx.Users[1];
        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 1);
        await Expect(page.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "ringing");

        Assert.Contains(traffic.ResponseUrls, url => url.Contains("board", StringComparison.Ordinal) && url.EndsWith(".js", StringComparison.Ordinal));
        await traffic.AssertNowhereAsync(ClientSecret);
        Assert.DoesNotContain(ClientSecret, app.Logs.AllText, StringComparison.Ordinal);
    }
}
