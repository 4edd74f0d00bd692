using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>What a person sees and hears of a tile on a board that is not live, in a real browser.</summary>
public static class StaleTiles
{
    /// <summary>
    /// The tile says "(last known)" after its word, a screen reader hears "last known" in its
    /// description, no timer of it is visible, and the lamp is dimmed.
    /// </summary>
    public static async Task ExpectLastKnownAsync(ILocator tile, string lastKnown)
    {
        await Expect(tile).ToHaveAttributeAsync("data-stale", "true");
        await Expect(tile).ToHaveAccessibleDescriptionAsync(new Regex($"{Regex.Escape(lastKnown)}$"));
        var shown = await tile.EvaluateAsync<string>(
            """
            tile => JSON.stringify({
                mark: getComputedStyle(tile.querySelector(".tile-state"), "::after").content,
                timers: [...tile.querySelectorAll(".tile-since")].filter(timer => timer.checkVisibility()).length,
                filter: getComputedStyle(tile).filter,
            })
            """);
        using var json = System.Text.Json.JsonDocument.Parse(shown);
        Assert.Contains($"({lastKnown})", json.RootElement.GetProperty("mark").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, json.RootElement.GetProperty("timers").GetInt32());
        Assert.Contains("saturate", json.RootElement.GetProperty("filter").GetString(), StringComparison.Ordinal);
    }
}
