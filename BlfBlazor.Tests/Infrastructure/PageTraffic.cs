using System.Text;
using Microsoft.Playwright;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>
/// Everything a page received and sent from the moment it is recorded: response bodies (the HTML,
/// scripts, styles) and the circuit's WebSocket frames, to look for what must never reach a browser.
/// </summary>
public sealed class PageTraffic
{
    private readonly StringBuilder _frames = new();
    private readonly List<IResponse> _responses = [];

    private PageTraffic()
    {
    }

    public static PageTraffic Record(IPage page)
    {
        var traffic = new PageTraffic();
        page.Response += (_, response) =>
        {
            lock (traffic._responses)
            {
                traffic._responses.Add(response);
            }
        };
        page.WebSocket += (_, socket) =>
        {
            socket.FrameReceived += (_, frame) => traffic.Add(frame);
            socket.FrameSent += (_, frame) => traffic.Add(frame);
        };
        return traffic;
    }

    /// <summary>The addresses of the responses recorded so far.</summary>
    public IReadOnlyList<string> ResponseUrls
    {
        get
        {
            lock (_responses)
            {
                return [.. _responses.Select(r => r.Url)];
            }
        }
    }

    /// <summary>Asserts that the page saw responses and circuit frames, and the text in none of them.</summary>
    public async Task AssertNowhereAsync(string text)
    {
        IResponse[] responses;
        lock (_responses)
        {
            responses = [.. _responses];
        }

        Assert.NotEmpty(responses);
        foreach (var response in responses.Where(r => r.Status is < 300 or >= 400))
        {
            AssertNotIn(await response.BodyAsync(), text, response.Url);
        }

        lock (_frames)
        {
            Assert.True(_frames.Length > 0, "no circuit traffic was recorded");
            Assert.DoesNotContain(text, _frames.ToString(), StringComparison.Ordinal);
        }
    }

    /// <summary>Asserts that a body has the text neither as UTF-8 nor as UTF-16.</summary>
    public static void AssertNotIn(byte[] body, string text, string where) => Assert.False(
        Encoding.UTF8.GetString(body).Contains(text, StringComparison.Ordinal) || Encoding.Unicode.GetString(body).Contains(text, StringComparison.Ordinal),
        $"'{text}' is in {where}");

    private void Add(IWebSocketFrame frame)
    {
        lock (_frames)
        {
            _frames.Append(frame.Text);
            if (frame.Binary is { } binary)
            {
                _frames.Append(Encoding.UTF8.GetString(binary)).Append(Encoding.Unicode.GetString(binary));
            }
        }
    }
}
