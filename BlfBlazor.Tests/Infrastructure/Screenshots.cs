using Microsoft.Playwright;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>
/// Browser tests leave screenshots of what they saw in the test output (screenshots/), for people
/// to look at; the README's pictures come from there.
/// </summary>
public static class Screenshots
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task SaveAsync(IPage page, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Directory, name + ".png"), FullPage = true });
    }
}
