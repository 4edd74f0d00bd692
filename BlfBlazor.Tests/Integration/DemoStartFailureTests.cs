using System.Net;
using BlfBlazor.Pbx.Connection;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlfBlazor.Tests.Integration;

/// <summary>A demo PBX that cannot start is a PBX problem like any other: shown, logged, retried; never a silent stop.</summary>
[Trait("Category", "Integration")]
public sealed class DemoStartFailureTests
{
    [Fact]
    public async Task The_board_and_healthz_say_why_and_the_app_keeps_serving()
    {
        var source = new FailingPbx();
        using var app = BoardApp.StartWith(new Dictionary<string, string?>(), services: s => s.AddSingleton<IPbxTargetSource>(source));
        using var http = app.CreateHttpClient();

        var board = await app.Directory.WaitForAsync(s => s.Status.Problem is not null, "the start failure on the board");

        Assert.Equal("connecting", board.Status.Token);
        Assert.Contains("no free loopback port", board.Status.Problem, StringComparison.Ordinal);

        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("no free loopback port", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var page = await BoardHtml.FetchAsync(http);
        Assert.Equal("connecting", page.Connection);
        Assert.Contains("no free loopback port", page.Text, StringComparison.Ordinal);

        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Error && e.Text.Contains("tried again", StringComparison.Ordinal));
    }

    private sealed class FailingPbx : IPbxTargetSource
    {
        public ValueTask<PbxTarget> GetTargetAsync(CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The simulated PBX found no free loopback port.");
    }
}
