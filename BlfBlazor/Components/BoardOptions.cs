using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Components;

/// <summary>The <c>Blf</c> configuration section: how the board may be embedded and grouped.</summary>
public sealed class BoardOptions
{
    public const string SectionName = "Blf";

    /// <summary>
    /// Origins allowed to show the board in a frame, besides the board's own (e.g.
    /// <c>https://portal.example.com</c>). From JSON as a list, from the environment
    /// (<c>Blf__FrameAncestors</c>) as one space- or comma-separated value.
    /// </summary>
    public IReadOnlyList<string> FrameAncestors { get; set; } = [];

    /// <summary>Groups for <c>?group=groups</c>: a name and the users (names or numbers) or number prefixes in it.</summary>
    public IReadOnlyList<BoardGroup> Groups { get; set; } = [];

    /// <summary>
    /// True: once interactive, the page owns its tile list and applies each change in place from one
    /// payload per view and version (BoardDelta); false: every board renders its tiles through its
    /// circuit's render tree, as before. The second path stays until the first has replaced it everywhere.
    /// </summary>
    public bool TilesInPlace { get; set; } = true;

    /// <summary>The <c>frame-ancestors</c> source list, sent with the page and the circuit's WebSocket.</summary>
    public string FrameAncestorsPolicy => string.Join(' ', FrameAncestors.Prepend("'self'"));

    /// <summary>Reads a list written either as JSON array entries or as one separated value.</summary>
    internal static IReadOnlyList<string> ReadList(IConfigurationSection section)
    {
        var entries = section.GetChildren().Select(c => c.Value).Append(section.Value);
        return [.. entries
            .SelectMany(value => (value ?? string.Empty).Split([' ', ',', ';', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase)];
    }
}

/// <summary>A named group of users for the grouped view.</summary>
public sealed class BoardGroup
{
    public string Name { get; set; } = string.Empty;

    /// <summary>Display names, cn or extensions of the members.</summary>
    public IReadOnlyList<string> Members { get; set; } = [];

    /// <summary>Extension prefixes: every user whose number starts with one is a member.</summary>
    public IReadOnlyList<string> Prefixes { get; set; } = [];
}

internal sealed partial class BoardOptionsValidator : IValidateOptions<BoardOptions>
{
    public ValidateOptionsResult Validate(string? name, BoardOptions options)
    {
        var failures = new List<string>();
        foreach (var origin in options.FrameAncestors)
        {
            if (!OriginPattern().IsMatch(origin))
            {
                failures.Add($"Blf:FrameAncestors entry '{origin}' is not an origin. Use entries such as https://portal.example.com, https://*.example.com or http://intranet:8080.");
            }
        }

        for (var i = 0; i < options.Groups.Count; i++)
        {
            var group = options.Groups[i];
            if (string.IsNullOrWhiteSpace(group.Name))
            {
                failures.Add($"Blf:Groups:{i}:Name is required: the heading of the group.");
            }

            if (group.Members.Count == 0 && group.Prefixes.Count == 0)
            {
                failures.Add($"Blf:Groups:{i} ('{group.Name}') needs Members (names or numbers) or Prefixes (number prefixes).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // scheme://host[:port], host may start with *. ; no paths, quotes or separators that could break the header.
    [GeneratedRegex(@"^https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:(\d{1,5}|\*))?/?$")]
    private static partial Regex OriginPattern();
}
