using System.Globalization;
using BlfBlazor.Components.Board;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Components;

/// <summary>What the board's status line says, in each language, from the snapshot alone.</summary>
[Trait("Category", "Unit")]
public class BoardHeadlineTests
{
    [Theory]
    [InlineData("en", "Live · 29 users · standby PBX pbx-b.example")]
    [InlineData("de", "Live · 29 Benutzer · Standby-PBX pbx-b.example")]
    public void A_board_live_on_the_standby_says_so_and_names_it(string language, string expected)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var culture = CultureInfo.GetCultureInfo(language);
        var headline = new BoardHeadline(CultureTexts<BoardText>.In(culture), time, new PbxDescription("pbx-a.example", IsDemo: false, "blf"));
        var status = new ConnectionStatus(ConnectionState.Live, time.GetUtcNow(), null, "pbx-b.example", IsDemo: false) { OnStandby = true };
        var users = Enumerable.Range(0, 29).Select(i => new PbxUser($"g{i}", null, $"User {i}", $"{100 + i}", null, null, null, 1, 0, 0)).ToArray();
        var snapshot = new DirectorySnapshot(1, [.. users], status);

        Assert.Equal(expected, headline.Status(snapshot));
    }
}
