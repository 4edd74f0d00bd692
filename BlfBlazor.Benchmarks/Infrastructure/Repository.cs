namespace BlfBlazor.Benchmarks.Infrastructure;

/// <summary>Where the solution and the Release builds of the app and the simulator are.</summary>
internal sealed class Repository
{
    private Repository(string root) => Root = root;

    public string Root { get; }

    public string AppProject => Path.Combine(Root, "BlfBlazor");

    public string AppDll => Path.Combine(AppProject, "bin", "Release", "net10.0", "BlfBlazor.dll");

    public string SimulatorProject => Path.Combine(Root, "BlfBlazor.PbxSimulator");

    public string SimulatorDll => Path.Combine(SimulatorProject, "bin", "Release", "net10.0", "BlfBlazor.PbxSimulator.dll");

    public string ResultsDirectory => Path.Combine(Root, "BlfBlazor.Benchmarks", "results");

    /// <summary>Writes a run's Markdown to results/<paramref name="name"/>; returns the file's path.</summary>
    public string WriteResult(string name, string markdown)
    {
        Directory.CreateDirectory(ResultsDirectory);
        var file = Path.Combine(ResultsDirectory, name);
        File.WriteAllText(file, markdown);
        return file;
    }

    /// <summary>Walks up from the running benchmark to the folder that holds BlfBlazor.sln.</summary>
    public static Repository Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BlfBlazor.sln")))
            {
                var repository = new Repository(dir.FullName);
                foreach (var dll in new[] { repository.AppDll, repository.SimulatorDll })
                {
                    if (!File.Exists(dll))
                    {
                        throw new InvalidOperationException($"{dll} is missing: run the benchmark with `dotnet run -c Release --project BlfBlazor.Benchmarks`, which builds it.");
                    }
                }

                return repository;
            }
        }

        throw new InvalidOperationException($"No BlfBlazor.sln above {AppContext.BaseDirectory}.");
    }
}
