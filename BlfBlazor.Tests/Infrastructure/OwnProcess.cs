using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>
/// A program the test starts as its own process, the way an admin or a service manager would:
/// its whole output kept, killed with its process tree when disposed.
/// </summary>
public sealed class OwnProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private OwnProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far, stdout and stderr.</summary>
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

    /// <param name="fileName">The executable (a published app) or <c>dotnet</c>.</param>
    /// <param name="workingDirectory">Where it starts; a service manager's choice, not the install folder.</param>
    public static OwnProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test runner's own settings must not decide the child's.
        foreach (var inherited in (string[])["ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_URLS", "NOTIFY_SOCKET", "CREDENTIALS_DIRECTORY"])
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var own = new OwnProcess(process);
        process.OutputDataReceived += (_, e) => own.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => own.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return own;
    }

    /// <summary>A loopback port free now, for a process that must listen where the test expects it.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Asks <paramref name="check"/> until it holds; fails with the process's output if it exits or never does.</summary>
    public async Task WaitUntilAsync(string what, Func<Task<bool>> check)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.StartUp);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The process exited while waiting for {what}:{Environment.NewLine}{Output}");
            }

            if (await check())
            {
                return;
            }

            try
            {
                // Polling: another process's state can only be asked for.
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {what} within {TestTimeouts.StartUp.TotalSeconds:0} s:{Environment.NewLine}{Output}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
