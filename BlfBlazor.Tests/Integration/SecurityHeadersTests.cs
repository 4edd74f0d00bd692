using System.Net;
using System.Text.RegularExpressions;
using BlfBlazor.Components;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Integration;

/// <summary>The headers the real app sends, over its own socket, as a browser gets them.</summary>
[Trait("Category", "Integration")]
public sealed partial class SecurityHeadersTests : IAsyncLifetime
{
    private const string Portal = "https://portal.example.com";

    private readonly BoardTestHost _host = new(users: 4, seed: 5);
    private BoardApp _app = null!;

    public async Task InitializeAsync()
    {
        await _host.StartAsync();
        _app = await _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Blf:FrameAncestors"] = Portal });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/?lang=de")]
    [InlineData("/healthz")]
    [InlineData("/_framework/blazor.web.js")]
    public async Task Every_response_carries_one_policy_nosniff_and_the_referrer_policy(string path)
    {
        using var http = _app.CreateHttpClient();

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self' 'sha256-", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("base-uri 'self'", policy, StringComparison.Ordinal);
        Assert.EndsWith($"frame-ancestors 'self' {Portal}", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("X-Frame-Options"));

        // Plain HTTP: no HSTS (a browser ignores it there, and the app may well be served so).
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Every_inline_script_of_the_page_is_allowed_by_its_hash_and_nothing_else_inline_is()
    {
        using var http = _app.CreateHttpClient();

        using var response = await http.GetAsync(new Uri("/?embed", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var scriptSources = policy.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal)).Split(' ').Skip(1).ToList();
        var inline = InlineScript().Matches(html).Select(m => m.Groups["text"].Value).ToList();
        Assert.NotEmpty(inline);
        Assert.Equal(["'self'", .. inline.Select(text => $"'{BoardHeaders.HashSource(text)}'").Distinct()], scriptSources);
        Assert.DoesNotContain("'unsafe-inline'", policy, StringComparison.Ordinal);
        Assert.DoesNotMatch(InlineHandler(), html);
    }

    [Fact]
    public async Task Over_HTTPS_behind_a_trusted_proxy_the_board_sends_HSTS()
    {
        using var http = _app.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BoardHeaders.StrictTransportSecurity, Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    // A <script> element without src: its text is what the hash must cover.
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>(?<text>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();

    // onclick="…" and the like: inline handlers that no hash allows.
    [GeneratedRegex(@"<[^>]+\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();
}
