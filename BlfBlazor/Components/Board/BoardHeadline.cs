using System.Globalization;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Microsoft.Extensions.Localization;

namespace BlfBlazor.Components.Board;

/// <summary>
/// What the board's title, status line and problem say about the connection, in the board's language:
/// the words a receptionist reads first, worked out from the snapshot alone.
/// </summary>
internal sealed class BoardHeadline(IStringLocalizer<BoardText> text, TimeProvider timeProvider, PbxDescription pbx)
{
    /// <summary>The order the header counts and the filters list the lamp states in.</summary>
    public static readonly LampState[] CountOrder = [LampState.Busy, LampState.Ringing, LampState.Idle, LampState.Offline];

    /// <summary>The page title: the board's name, after what is wrong when it is not live.</summary>
    public string Title(ConnectionStatus status) => status.State switch
    {
        ConnectionState.Live => text["Title"],
        ConnectionState.AuthFailed => $"{text["TitleAuthFailed"]} · {text["Title"]}",
        _ => $"{text["TitleNotLive"]} · {text["Title"]}",
    };

    public string Status(DirectorySnapshot snapshot)
    {
        var status = snapshot.Status;
        return status.State switch
        {
            ConnectionState.Live when status.OnStandby => text["StatusLiveStandby", snapshot.Users.Length, status.Pbx],
            ConnectionState.Live => text["StatusLive", snapshot.Users.Length],
            ConnectionState.Connecting => text["StatusConnecting", Since(status)],
            ConnectionState.Reconnecting => text["StatusReconnecting", Since(status)],
            ConnectionState.AuthFailed => text["StatusAuthFailed", Since(status)],
            _ => status.Token,
        };
    }

    /// <summary>The sentence that says what to do, while not live; null when there is nothing to say.</summary>
    public string? Problem(ConnectionStatus status) => status.State switch
    {
        ConnectionState.Live => null,
        ConnectionState.AuthFailed => text["ProblemAuthFailed", pbx.App].Value,
        _ => status.Problem is { } problem ? text["ProblemOther", problem].Value : null,
    };

    public string Word(LampState state) => LampTile.Word(state, text);

    public string Count(LampState state, IReadOnlyList<int> counts) => Count(text, state, counts);

    /// <summary>"3 busy": one of the header's counts, as the board renders it and as its tile payloads carry it.</summary>
    public static string Count(IStringLocalizer<BoardText> text, LampState state, IReadOnlyList<int> counts) => text[$"Count{state}", counts[(int)state]];

    /// <summary>"2 of 3 shown" while the view leaves users out; null when it shows everybody.</summary>
    public static string? Shown(IStringLocalizer<BoardText> text, int shown, int total) => shown == total ? null : text["ShownOf", shown, total].Value;

    private string Since(ConnectionStatus status) =>
        TimeZoneInfo.ConvertTime(status.Since, timeProvider.LocalTimeZone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
