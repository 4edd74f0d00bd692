using AngleSharp.Html.Parser;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>The board as the first HTTP response shows it (prerendered), read by test ids.</summary>
public sealed record BoardHtml(string Connection, IReadOnlyDictionary<string, (string State, string Text)> Tiles, string Text)
{
    public static async Task<BoardHtml> FetchAsync(HttpClient client, string path = "/")
    {
        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        return Parse(html);
    }

    public static BoardHtml Parse(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var board = document.QuerySelector("[data-testid=blf-board]") ?? throw new InvalidOperationException("no board in the page");
        var tiles = document.QuerySelectorAll("[data-testid=blf-tile]").ToDictionary(
            t => t.GetAttribute("data-guid")!,
            t => (t.GetAttribute("data-state")!, t.TextContent));
        return new BoardHtml(board.GetAttribute("data-connection")!, tiles, board.TextContent);
    }
}
