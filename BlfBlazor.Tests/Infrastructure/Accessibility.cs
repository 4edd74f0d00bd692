using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>axe-core on the page as it is now: it checked something, and found nothing serious or critical.</summary>
public static class Accessibility
{
    public static async Task AssertNoSeriousViolationsAsync(this IPage page)
    {
        var results = await page.RunAxe();

        Assert.NotEmpty(results.Passes);
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join('\n', serious.Select(Describe)));
    }

    private static string Describe(AxeResultItem violation) =>
        $"{violation.Impact} {violation.Id}: {violation.Help} — {string.Join("; ", violation.Nodes.Take(3).Select(n => string.Join(",", n.Target)))}";
}
