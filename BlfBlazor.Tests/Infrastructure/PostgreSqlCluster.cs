using System.Diagnostics;
using Npgsql;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster of Debian's binaries for one test run: <c>initdb</c> into a
/// temporary folder, <c>pg_ctl</c> on a free loopback port, torn down (folder and all) at the end.
/// Run as the <c>postgres</c> user when the tests run as root (PostgreSQL refuses root). Each test
/// takes a database of its own with <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgreSqlCluster : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("blf-pg-").FullName;
    private int _databases;

    public int Port { get; } = OwnProcess.FreePort();

    private string DataFolder => Path.Combine(_folder, "data");

    public async Task InitializeAsync()
    {
        if (Binaries() is null)
        {
            throw new InvalidOperationException("PostgreSQL is missing (/usr/lib/postgresql/*/bin): run the README's test command (./test.sh), which installs Debian's postgresql.");
        }

        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", "-R", "postgres:postgres", _folder);
        }

        await RunPostgresAsync("initdb", "-D", DataFolder, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await RunPostgresAsync("pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped (a test stopped it and failed before starting it again).
        }

        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Starts the cluster (again), waiting until it accepts connections.</summary>
    public Task StartAsync() => RunPostgresAsync(
        "pg_ctl", "-D", DataFolder, "-l", Path.Combine(_folder, "log"), "-w", "-t", "60",
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_folder} -c fsync=off -c full_page_writes=off",
        "start");

    /// <summary>Stops the cluster the fast way: connections are cut, as when the database server goes away.</summary>
    public Task StopAsync() => RunPostgresAsync("pg_ctl", "-D", DataFolder, "-m", "fast", "-w", "stop");

    /// <summary>A new, empty database for one test; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"blf_{Interlocked.Increment(ref _databases)}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    // Pooling off: a test that stops the cluster must not find the app's pool full of dead connections it then reports.
    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false;Timeout=5";

    private static string? Binaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => bin, StringComparer.Ordinal).FirstOrDefault()
            : null;

    private static Task RunPostgresAsync(string tool, params string[] arguments)
    {
        var executable = Path.Combine(Binaries()!, tool);
        return Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", "postgres", "--", executable, .. arguments])
            : RunAsync(executable, arguments);
    }

    private static async Task RunAsync(string executable, params string[] arguments)
    {
        // A working folder the postgres user may enter (the test's own may be closed to it).
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.StartUp);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{executable} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await errors}");
        }
    }
}

/// <summary>The tests against PostgreSQL share one cluster per run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlCluster>
{
    public const string Name = "PostgreSQL";
}
