using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BlfBlazor.Benchmarks.Infrastructure;

namespace BlfBlazor.Benchmarks.Circuits;

/// <summary>What the circuit and soak runs share: their command-line options, progress lines, and the report's head and files.</summary>
internal static class RunReport
{
    // NaN stands for "not measured" (no change seen), which plain JSON numbers cannot say.
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The value after <paramref name="name"/> on the command line, or null.</summary>
    public static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    public static string Command(string[] args) => ("dotnet run -c Release --project BlfBlazor.Benchmarks -- " + string.Join(' ', args)).TrimEnd();

    /// <summary>Title, when and how long, the command, and the machine.</summary>
    public static StringBuilder Head(string title, string command, DateTimeOffset started)
    {
        var machine = MachineInfo.Read();
        return new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"### {title}\n\n")
            .Append(CultureInfo.InvariantCulture, $"Run {started:yyyy-MM-dd HH:mm} UTC, {(DateTimeOffset.UtcNow - started).TotalMinutes:0.0} min: `{command}`\n\n")
            .Append(CultureInfo.InvariantCulture, $"Machine: {machine.Cpu}, {machine.Cores} cores, {machine.Memory}; {machine.Os} ({machine.Kernel}); {machine.DotNet}. Simulator, app and the headless boards share the machine; everything on loopback.\n\n");
    }

    /// <summary>Prints the Markdown and writes it to results/<paramref name="name"/>.md, the figures to results/<paramref name="name"/>.json.</summary>
    public static void Write<T>(Repository repository, string name, string markdown, T figures)
    {
        Console.WriteLine(markdown);
        repository.WriteResult(name + ".md", markdown);
        var json = repository.WriteResult(name + ".json", JsonSerializer.Serialize(figures, s_json));
        Console.Error.WriteLine($"Written to {json} and {name}.md");
    }

    public static void Log(string line) => Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");
}
