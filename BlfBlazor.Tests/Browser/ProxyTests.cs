using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Web;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>
/// The app behind the shipped <c>deploy/haproxy.cfg</c>, which ends TLS: what the browser used is
/// what the app acts on (redirect URIs, cookies), although the app itself only hears plain HTTP.
/// </summary>
[Trait("Category", "LoadBalancer")]
public sealed class ProxyTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private static readonly TestPerson s_viewer = new("clara.view", "Clara Viewer");

    private readonly BoardTestHost _host = new(users: 6, seed: 19, chromium: chromium);

    // The provider on https://, as in production: its cookies then are the handler's defaults.
    private readonly X509Certificate2 _providerCertificate = SelfSignedCertificate.Create();

    public async Task InitializeAsync()
    {
        await _host.StartAsync();
        await _host.StartIdentityProviderAsync([s_viewer], certificate: _providerCertificate);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _providerCertificate.Dispose();
    }

    [Fact]
    public async Task Signing_in_through_the_TLS_balancer_uses_an_https_redirect_URI_and_every_cookie_is_Secure()
    {
        var app = _host.StartApp(_host.IdentityProvider.BoardSettings, services: TrustProvider);
        await app.Directory.WaitForLiveAsync(users: _host.Pbx.Users.Count);
        await using var balancer = await HaproxyProcess.StartAsync([app.BaseAddress]);

        // Only the https:// callback is registered: a plain one would be refused by the provider too.
        await _host.IdentityProvider.RegisterBoardAsync(balancer.Address);

        var page = await chromium.NewPageAsync(trustTestCertificates: true);
        var authorizeRequests = new List<string>();
        var boardResponses = new List<IResponse>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/connect/authorize", StringComparison.Ordinal))
            {
                lock (authorizeRequests)
                {
                    authorizeRequests.Add(request.Url);
                }
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Url.StartsWith(balancer.Address.ToString(), StringComparison.Ordinal))
            {
                lock (boardResponses)
                {
                    boardResponses.Add(response);
                }
            }
        };

        await page.GotoAsync(new Uri(balancer.Address, "signin?returnUrl=%2F%3Fsort%3Dstate").ToString());
        await BoardTestHost.LogInAtProviderAsync(page, s_viewer.Login);
        await Expect(page.GetByTestId("blf-user")).ToHaveTextAsync(s_viewer.Name);
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        Assert.Equal(new Uri(balancer.Address, "?sort=state"), new Uri(page.Url));

        var authorize = new Uri(Assert.Single(authorizeRequests, url => url.Contains("redirect_uri", StringComparison.Ordinal)));
        Assert.Equal(new Uri(balancer.Address, "signin-oidc").ToString(), HttpUtility.ParseQueryString(authorize.Query)["redirect_uri"]);

        // Every cookie the board set on the way (the handler's correlation and nonce, the session,
        // antiforgery), as the browser received it.
        var setCookies = new List<string>();
        foreach (var response in boardResponses.ToArray())
        {
            foreach (var header in await response.HeaderValuesAsync("set-cookie"))
            {
                setCookies.AddRange(header.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }
        }

        foreach (var name in new[] { ".AspNetCore.Correlation.", ".AspNetCore.OpenIdConnect.Nonce.", "blf.signin=", ".AspNetCore.Antiforgery." })
        {
            Assert.Contains(setCookies, cookie => cookie.StartsWith(name, StringComparison.Ordinal));
        }

        foreach (var cookie in setCookies)
        {
            Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        }

        var stored = await page.Context.CookiesAsync([balancer.Address.ToString()]);
        Assert.Contains(stored, cookie => cookie.Name == "blf.signin");
        Assert.All(stored, cookie => Assert.True(cookie.Secure, $"{cookie.Name} is not Secure"));
    }

    /// <summary>The board's calls to the provider (discovery, keys, tokens) trust its test certificate, and only that.</summary>
    private void TrustProvider(IServiceCollection services) =>
        services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options => options.BackchannelHttpHandler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == _providerCertificate.Thumbprint,
        });

    [Fact]
    public async Task The_balancer_sends_plain_HTTP_on_to_HTTPS()
    {
        var app = await _host.StartLiveAppAsync();
        await using var balancer = await HaproxyProcess.StartAsync([app.BaseAddress]);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var response = await http.GetAsync(new Uri(balancer.PlainAddress, "?kiosk"));

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(Uri.UriSchemeHttps, response.Headers.Location?.Scheme);
        Assert.Equal("/?kiosk", response.Headers.Location?.PathAndQuery);
    }
}
