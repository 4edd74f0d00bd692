using BlfBlazor.Benchmarks.Circuits;
using BlfBlazor.Benchmarks.Infrastructure;
using BlfBlazor.Components;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Integration;

/// <summary>An instance carries a bounded number of circuits, per client address and in all; beyond, a page is refused and told so, and the log gets a line, not a flood.</summary>
[Trait("Category", "Integration")]
public sealed class CircuitLimitTests : IAsyncLifetime
{
    private const int Users = 5;
    private readonly BoardTestHost _host = new(users: Users, seed: 23);

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("Blf:Limits:CircuitsPerClient", "Blf:Limits:Circuits")]
    [InlineData("Blf:Limits:Circuits", "Blf:Limits:CircuitsPerClient")]
    public async Task A_circuit_beyond_the_cap_is_refused_and_a_closed_one_frees_its_place(string cappedKey, string otherKey)
    {
        var app = await _host.StartLiveAppAsync(new Dictionary<string, string?> { [cappedKey] = "2", [otherKey] = "100" });
        var limits = app.Services.GetRequiredService<CircuitLimits>();
        using var http = new HttpClient();
        var first = await OpenAsync(http, app);
        await using var second = await OpenAsync(http, app);

        Assert.Equal(2, limits.Count);

        // Every page from here on is told at once, and its circuit refused; five refusals are one log line.
        Assert.Contains("blf-refused", await http.GetStringAsync(app.BaseAddress), StringComparison.Ordinal);
        for (var i = 0; i < 5; i++)
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => HeadlessBoard.OpenAsync(http, app.BaseAddress, Users, CancellationToken.None));
            Assert.Contains("refused the circuit", refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(2, limits.Count);
        var refusals = app.Logs.Entries.Where(e => e.Text.Contains("Refused a circuit", StringComparison.Ordinal)).ToList();
        Assert.Contains(cappedKey, Assert.Single(refusals).Text, StringComparison.Ordinal);

        // A board that closes gives its place back.
        await first.DisposeAsync();
        await Wait.UntilAsync("the closed circuit's place given back", TestTimeouts.StateShown, () => Task.FromResult(limits.Count == 1), CancellationToken.None);
        Assert.DoesNotContain("blf-refused", await http.GetStringAsync(app.BaseAddress), StringComparison.Ordinal);
        await using var third = await OpenAsync(http, app);
        Assert.Equal(2, limits.Count);
    }

    [Fact]
    public async Task A_cap_below_one_stops_the_start_naming_the_key()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Blf:Limits:CircuitsPerClient"] = "0" }));
        Assert.Contains("Blf:Limits:CircuitsPerClient", failure.ToString(), StringComparison.Ordinal);
    }

    private static async Task<HeadlessBoard> OpenAsync(HttpClient http, BoardApp app)
    {
        var board = await HeadlessBoard.OpenAsync(http, app.BaseAddress, Users, CancellationToken.None);
        await board.WaitCompleteAsync(TestTimeouts.StateShown, CancellationToken.None);
        return board;
    }
}
