using System.Net;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Integration;

/// <summary>Who may scrape <c>/metrics</c> when the board needs a signed-in person.</summary>
[Trait("Category", "Integration")]
public sealed class MetricsAccessTests : IAsyncLifetime
{
    private readonly BoardTestHost _host = new(users: 4, seed: 7);

    public async Task InitializeAsync()
    {
        await _host.StartAsync();
        await _host.StartIdentityProviderAsync([new TestPerson("dora.view", "Dora Viewer")]);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task With_RequireSignIn_an_anonymous_scrape_is_sent_to_the_provider()
    {
        var app = await _host.StartLiveSignInAppAsync(new Dictionary<string, string?> { ["Blf:RequireSignIn"] = "true", ["Diagnostics:Prometheus"] = "true" });
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        using var scrape = await http.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, scrape.StatusCode);
        Assert.StartsWith(_host.IdentityProvider.Authority.ToString(), scrape.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("blf_", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    public async Task PrometheusAnonymous_or_a_board_open_to_all_lets_a_scraper_in(string requireSignIn, string anonymous)
    {
        var app = await _host.StartLiveSignInAppAsync(new Dictionary<string, string?>
        {
            ["Blf:RequireSignIn"] = requireSignIn,
            ["Diagnostics:Prometheus"] = "true",
            ["Diagnostics:PrometheusAnonymous"] = anonymous,
        });
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        using var scrape = await http.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("blf_users", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
