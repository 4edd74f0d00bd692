using System.Diagnostics;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>
/// The app published as the README says (self-contained, linux-x64) into a temporary install
/// folder, once per test class: publishing takes a while. Built from the sources beside the
/// test, in a build folder of its own, so it never touches the suite's build output.
/// </summary>
public sealed class PublishedBuild : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("blfblazor-publish-").FullName;

    /// <summary>The install folder (what an admin copies to /opt/blfblazor).</summary>
    public string InstallFolder => Path.Combine(_root, "out");

    /// <summary>The published executable, as the unit's ExecStart names it.</summary>
    public string Executable => Path.Combine(InstallFolder, "BlfBlazor");

    /// <summary>The repository the tests run from.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public async Task InitializeAsync()
    {
        var publish = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["publish", "BlfBlazor", "-c", "Release", "-r", "linux-x64", "--self-contained", "-o", InstallFolder, "--artifacts-path", Path.Combine(_root, "build"), "-nologo"])
        {
            publish.ArgumentList.Add(argument);
        }

        using var process = Process.Start(publish) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || !File.Exists(Executable))
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):{Environment.NewLine}{await output}{await errors}");
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "BlfBlazor.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No BlfBlazor.sln above {AppContext.BaseDirectory}.");
    }
}
