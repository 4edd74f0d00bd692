using System.Net;
using System.Net.WebSockets;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Integration;

/// <summary>
/// The circuit's endpoint (<c>/_blazor</c>) on the real app, asked by a raw HTTP and WebSocket
/// client that sends whatever Origin a page of another site would.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CircuitOriginTests : IAsyncLifetime
{
    private const string FrameAncestors = "https://*.portal.example https://wiki.example:8443";
    private const string Negotiate = "/_blazor/negotiate?negotiateVersion=1";

    private readonly BoardTestHost _host = new(users: 4, seed: 6);
    private readonly FakeTimeProvider _time = new();
    private BoardApp _app = null!;

    public async Task InitializeAsync()
    {
        await _host.StartAsync();
        _app = await _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Blf:FrameAncestors"] = FrameAncestors }, _time);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string OwnOrigin => _app.BaseAddress.GetLeftPart(UriPartial.Authority);

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("https://portal.example.evil.example")]
    [InlineData("https://wiki.example")]
    [InlineData("http://intranet.portal.example")]
    [InlineData("null")]
    public async Task A_foreign_origin_is_refused_the_circuit(string origin)
    {
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(origin));

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", origin);
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(CircuitSocket, CancellationToken.None));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://intranet.portal.example")]
    [InlineData("https://wiki.example:8443")]
    public async Task The_frame_ancestors_and_clients_without_an_origin_may_negotiate(string? origin)
    {
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(origin));
    }

    [Fact]
    public async Task The_boards_own_origin_opens_the_circuits_WebSocket()
    {
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(OwnOrigin));

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", OwnOrigin);
        await socket.ConnectAsync(CircuitSocket, CancellationToken.None);
        Assert.Equal(WebSocketState.Open, socket.State);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task Refusals_are_logged_at_most_once_per_10_s_with_a_count_of_the_rest()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("https://evil.example"));
        }

        var refusals = Refusals();
        var first = Assert.Single(refusals);
        Assert.Contains("https://evil.example", first.Text, StringComparison.Ordinal);
        Assert.Contains("(0 more refused", first.Text, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("https://other.example"));

        refusals = Refusals();
        Assert.Equal(2, refusals.Count);
        Assert.Contains("(2 more refused", refusals[1].Text, StringComparison.Ordinal);
    }

    private Uri CircuitSocket => new($"ws://{_app.BaseAddress.Authority}/_blazor");

    private List<CapturedLogs.Entry> Refusals() =>
        [.. _app.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Text.StartsWith("Refused a board connection", StringComparison.Ordinal))];

    private async Task<HttpStatusCode> NegotiateAsync(string? origin)
    {
        using var http = _app.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Negotiate, UriKind.Relative));
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
