using System.Net;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Simulator;

[Trait("Category", "Integration")]
public sealed class SimulatorTlsTests : IDisposable
{
    private const string App = "rcc";
    private const string Secret = "pwd";

    private readonly X509Certificate2 _certificate = CreateLoopbackCertificate();

    public void Dispose() => _certificate.Dispose();

    [Fact]
    public async Task A_client_that_trusts_exactly_the_certificate_logs_in_over_wss()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        var presented = new List<(byte[] Certificate, SslPolicyErrors Errors)>();

        await using var client = await RccTestClient.ConnectAndLoginAsync(server.WebSocketUrl, App, Secret, timeout.Token, options =>
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                var raw = certificate?.GetRawCertData() ?? [];
                lock (presented)
                {
                    presented.Add((raw, errors));
                }

                return raw.AsSpan().SequenceEqual(_certificate.RawData);
            });
        await client.SendAsync("""{"api":"RCC","mt":"Initialize","src":"tls"}""", timeout.Token);
        var first = await client.ReceiveJsonAsync(timeout.Token);

        Assert.Equal("wss", server.WebSocketUrl.Scheme);
        Assert.Equal("127.0.0.1", server.WebSocketUrl.Host);
        Assert.NotEqual(0, server.WebSocketUrl.Port);
        Assert.Equal("/PBX0/APPS/websocket", server.WebSocketUrl.AbsolutePath);
        Assert.Equal(1, server.Pbx.SuccessfulLogins);
        Assert.Equal("UserInfo", first.GetProperty("mt").GetString());
        Assert.Equal("tls", first.GetProperty("src").GetString());
        var (seen, errors) = Assert.Single(presented);
        Assert.Equal(_certificate.RawData, seen);
        Assert.True(errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors), $"a self-signed certificate is not trusted by default ({errors})");
    }

    [Fact]
    public async Task The_certificate_is_rejected_by_default_and_by_a_client_pinning_another_one()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        using var other = CreateLoopbackCertificate();

        await Assert.ThrowsAsync<WebSocketException>(() => RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token));
        await Assert.ThrowsAsync<WebSocketException>(() => RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token, options =>
            options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(other.RawData)));

        Assert.Equal(0, server.Pbx.TotalConnections);
    }

    [Fact]
    public async Task Serves_the_text_line_over_https_naming_the_wss_endpoint()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.RawData.AsSpan().SequenceEqual(_certificate.RawData),
        };
        using var http = new HttpClient(handler);

        var text = await http.GetStringAsync(new UriBuilder(server.WebSocketUrl) { Scheme = "https", Path = "/" }.Uri, timeout.Token);

        Assert.Contains($"wss://127.0.0.1:{server.WebSocketUrl.Port}/PBX0/APPS/websocket", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_certificate_without_private_key()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(_certificate.RawData);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => SimulatorServer.StartAsync(Options(), publicOnly));

        Assert.Equal("certificate", error.ParamName);
    }

    /// <summary>Self-signed, RSA 2048, CN=127.0.0.1 with an IP SAN; round-tripped through PKCS#12 so Kestrel on Linux can use its key.</summary>
    internal static X509Certificate2 CreateLoopbackCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server authentication

        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }

    private static CancellationTokenSource Timeout() => new(TestTimeouts.StateShown);

    private static SimulatorOptions Options() =>
        new() { App = App, Secret = Secret, Users = 5, EventsPerSecond = 0, Seed = 4 };

    private Task<SimulatorServer> StartAsync(CancellationToken ct) => SimulatorServer.StartAsync(Options(), _certificate, ct);
}
