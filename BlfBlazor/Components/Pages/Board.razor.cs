using BlfBlazor.Diagnostics;
using BlfBlazor.State;
using Microsoft.AspNetCore.Components;

namespace BlfBlazor.Components.Pages;

/// <summary>
/// The board: renders the directory's current snapshot (already during prerendering, so the first
/// response is a complete board) and re-renders when it changes.
/// </summary>
public sealed partial class Board : IDisposable
{
    private static readonly LampState[] s_countOrder = [LampState.Busy, LampState.Ringing, LampState.Idle, LampState.Offline];

    private readonly CancellationTokenSource _disposed = new();
    private DirectorySnapshot _snapshot = default!;
    private DirectorySubscription? _subscription;
    private int[] _counts = new int[4];
    private long _countedVersion = -1;

    [Inject]
    public required UserDirectory Directory { get; init; }

    [Inject]
    public required TimeProvider TimeProvider { get; init; }

    [Inject]
    public required BlfMetrics Metrics { get; init; }

    private ConnectionStatus Status => _snapshot.Status;

    private string Title => Status.State switch
    {
        ConnectionState.Live => "Busy lamp field",
        ConnectionState.AuthFailed => "Login refused · Busy lamp field",
        _ => "Not live · Busy lamp field",
    };

    private string StatusText => Status.State switch
    {
        ConnectionState.Live => $"Live · {_snapshot.Users.Length} users",
        ConnectionState.Connecting => $"Connecting to the PBX since {SinceText}…",
        ConnectionState.Reconnecting => $"Connection to the PBX lost at {SinceText}: showing the last known state, reconnecting…",
        ConnectionState.AuthFailed => $"Login refused since {SinceText}",
        _ => Status.Token,
    };

    private string EmptyText => Status.State == ConnectionState.Live
        ? "The PBX shows no users to this app. Give the App object access to users on the PBX."
        : "No users yet.";

    private string SinceText => TimeZoneInfo.ConvertTime(Status.Since, TimeProvider.LocalTimeZone).ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    protected override void OnInitialized() => _snapshot = Directory.Current;

    protected override void OnAfterRender(bool firstRender)
    {
        if (RendererInfo.IsInteractive)
        {
            Metrics.BoardRendered();
        }

        // Subscribe only once interactive: a prerender has no circuit to push to.
        if (firstRender && RendererInfo.IsInteractive)
        {
            _subscription = Directory.Subscribe();
            _ = FollowDirectoryAsync(_subscription, _disposed.Token);
        }
    }

    private async Task FollowDirectoryAsync(DirectorySubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            while (await subscription.WaitForChangeAsync(cancellationToken))
            {
                // Changes that arrive while this render is under way coalesce into the next one.
                await InvokeAsync(() =>
                {
                    var next = Directory.Current;
                    if (next.Version != _snapshot.Version)
                    {
                        _snapshot = next;
                        StateHasChanged();
                    }
                });
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The circuit is gone.
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    private int CountOf(LampState state)
    {
        if (_countedVersion != _snapshot.Version)
        {
            _counts = new int[4];
            foreach (var user in _snapshot.Users)
            {
                _counts[(int)user.Lamp]++;
            }

            _countedVersion = _snapshot.Version;
        }

        return _counts[(int)state];
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _subscription?.Dispose();
        _disposed.Dispose();
    }
}
