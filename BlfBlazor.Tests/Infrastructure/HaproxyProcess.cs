using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>
/// Debian's HAProxy as its own process, running the repository's <c>deploy/haproxy.cfg</c> with its
/// bind and server addresses replaced by loopback ports and its certificate by a self-signed one made
/// for the run: the example admins copy, TLS included, is what is tested.
/// </summary>
public sealed partial class HaproxyProcess : IAsyncDisposable
{
    private const string Executable = "/usr/sbin/haproxy";

    private readonly Process _process;
    private readonly string _configFile;
    private readonly string _certificateFile;
    private readonly StringBuilder _output = new();

    private HaproxyProcess(Process process, string configFile, string certificateFile, Uri address, Uri plainAddress)
    {
        _process = process;
        _configFile = configFile;
        _certificateFile = certificateFile;
        Address = address;
        PlainAddress = plainAddress;
    }

    /// <summary>Where browsers reach the board through the balancer: HTTPS, with a certificate nobody trusts.</summary>
    public Uri Address { get; }

    /// <summary>The balancer's plain-HTTP side, which only redirects to HTTPS.</summary>
    public Uri PlainAddress { get; }

    /// <summary>What HAProxy printed, for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts HAProxy in front of these instances and waits until it accepts connections.</summary>
    public static async Task<HaproxyProcess> StartAsync(IReadOnlyList<Uri> instances)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: run the README's test command (./test.sh), which installs Debian's haproxy.");
        }

        var port = FreePort();
        var plainPort = FreePort();
        var run = Path.Combine(Path.GetTempPath(), $"blf-haproxy-{Guid.NewGuid():N}");
        var configFile = run + ".cfg";
        var certificateFile = run + ".pem";
        await File.WriteAllTextAsync(certificateFile, CertificatePem());
        await File.WriteAllTextAsync(configFile, Configure(await File.ReadAllTextAsync(DeployFile("haproxy.cfg")), port, plainPort, certificateFile, instances));

        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-db", "-f", configFile })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("haproxy did not start");
        var haproxy = new HaproxyProcess(process, configFile, certificateFile, new Uri($"https://127.0.0.1:{port}/"), new Uri($"http://127.0.0.1:{plainPort}/"));
        process.OutputDataReceived += (_, e) => haproxy.Append(e.Data);
        process.ErrorDataReceived += (_, e) => haproxy.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await haproxy.WaitUntilListeningAsync(port);
            return haproxy;
        }
        catch
        {
            await haproxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>A file of the repository's <c>deploy</c> folder, found above the test's output folder.</summary>
    public static string DeployFile(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "deploy", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"deploy/{name} not found above {AppContext.BaseDirectory}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        File.Delete(_configFile);
        File.Delete(_certificateFile);
    }

    /// <summary>
    /// The example's two <c>bind</c>s on loopback ports (the TLS one with the test's certificate), and
    /// its servers, in order, on the instances.
    /// </summary>
    private static string Configure(string config, int port, int plainPort, string certificateFile, IReadOnlyList<Uri> instances)
    {
        var binds = 0;
        config = BindLine().Replace(config, match =>
        {
            binds++;
            return match.Groups["tls"].Success
                ? $"{match.Groups["indent"].Value}bind 127.0.0.1:{port} ssl crt {certificateFile}"
                : $"{match.Groups["indent"].Value}bind 127.0.0.1:{plainPort}";
        });
        if (binds != 2)
        {
            throw new InvalidOperationException($"deploy/haproxy.cfg has {binds} bind lines; the tests expect a plain one and a TLS one");
        }

        var next = 0;
        config = ActiveServerLine().Replace(config, match =>
        {
            if (next >= instances.Count)
            {
                return string.Empty;
            }

            var instance = instances[next++];
            return $"{match.Groups["head"].Value}127.0.0.1:{instance.Port}";
        });
        if (next != instances.Count)
        {
            throw new InvalidOperationException($"deploy/haproxy.cfg has {next} server lines for {instances.Count} instances");
        }

        return config;
    }

    /// <summary>A certificate for 127.0.0.1 and its key in one PEM file, as HAProxy's <c>crt</c> wants them.</summary>
    private static string CertificatePem()
    {
        using var certificate = SelfSignedCertificate.Create();
        using var key = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("the test certificate has no RSA key");
        return certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.StartUp);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"haproxy exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                return;
            }
            catch (SocketException)
            {
                // Not bound yet: HAProxy binds right after it read the file.
                await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@"^(?<indent>[ \t]+)bind \S+(?<tls> ssl crt \S+)?", RegexOptions.Multiline)]
    private static partial Regex BindLine();

    // Server lines that are not commented out (the cookie alternative's are).
    [GeneratedRegex(@"(?<head>^[ \t]+server \S+ )\S+", RegexOptions.Multiline)]
    private static partial Regex ActiveServerLine();
}
