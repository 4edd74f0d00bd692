using System.Net;
using System.Security.Cryptography.X509Certificates;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Integration;

/// <summary>wss:// to a PBX with a self-signed certificate, served by Kestrel over HTTPS on loopback.</summary>
[Trait("Category", "Integration")]
public sealed class TlsTests : IAsyncLifetime
{
    private readonly X509Certificate2 _certificate;
    private readonly BoardTestHost _host;

    public TlsTests()
    {
        _certificate = SelfSignedCertificate.Create();
        _host = new(users: 8, seed: 1, certificate: _certificate);
    }

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _certificate.Dispose();
    }

    [Fact]
    public async Task A_pinned_self_signed_certificate_is_trusted()
    {
        Assert.Equal("wss", _host.Simulator.WebSocketUrl.Scheme);
        var app = _host.StartApp(new Dictionary<string, string?> { ["Pbx:CertificateThumbprint"] = FormatLikeABrowser(_certificate.Sha256Thumbprint()) }, environment: "Production");

        await app.Directory.WaitForLiveAsync(users: 8);

        // The installed board on wss:// has nothing to warn about (PbxLinkEncryptionTests has the ws:// side).
        Assert.DoesNotContain(app.Logs.Entries, e => e.EventName == "Unencrypted");
        Assert.True(await PbxLinkEncryptionTests.EncryptedOnHealthzAsync(app));
    }

    [Fact]
    public async Task A_wrong_thumbprint_fails_with_a_message_that_names_both()
    {
        var wrong = new string('A', 64);
        var app = Start(thumbprint: wrong);
        using var http = app.CreateHttpClient();

        var board = await app.Directory.WaitForAsync(s => s.Status.Problem is not null, "a problem report");

        Assert.Equal(ConnectionState.Connecting, board.Status.State);
        Assert.Equal($"The PBX's TLS certificate has the SHA-256 thumbprint {_certificate.Sha256Thumbprint()}, but Pbx:CertificateThumbprint is {wrong}.", board.Status.Problem);
        Assert.Equal(0, _host.Pbx.SuccessfulLogins);
        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("CertificateThumbprint", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_pin_an_untrusted_certificate_is_refused_and_the_message_says_what_to_pin()
    {
        var app = Start(thumbprint: null);

        var board = await app.Directory.WaitForAsync(s => s.Status.Problem is not null, "a problem report");

        Assert.StartsWith("The PBX's TLS certificate is not trusted", board.Status.Problem, StringComparison.Ordinal);
        Assert.Contains($"set Pbx:CertificateThumbprint to {_certificate.Sha256Thumbprint()}", board.Status.Problem, StringComparison.Ordinal);
        Assert.Equal(0, _host.Pbx.SuccessfulLogins);
    }

    private BoardApp Start(string? thumbprint) =>
        _host.StartApp(new Dictionary<string, string?> { ["Pbx:CertificateThumbprint"] = thumbprint });

    /// <summary>Browsers show thumbprints as colon-separated lowercase pairs; admins paste that.</summary>
    private static string FormatLikeABrowser(string hex) =>
        string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2))).ToLowerInvariant();
}
