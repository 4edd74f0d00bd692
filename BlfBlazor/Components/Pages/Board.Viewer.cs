using BlfBlazor.Operators;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace BlfBlazor.Components.Pages;

/// <summary>Who is looking at the board: a signed-in operator may act, everyone else only watches.</summary>
public sealed partial class Board
{
    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    public required OperatorRoster Roster { get; init; }

    /// <summary>The operator viewing this board; null for anonymous viewers and signed-in non-operators.</summary>
    public Operator? Viewer { get; private set; }

    /// <summary>Where sign-in brings the viewer back to: this board in its current view.</summary>
    private string SignInReturnUrl => "/" + Navigation.ToBaseRelativePath(Navigation.Uri);

    protected override async Task OnParametersSetAsync()
    {
        Viewer = AuthenticationState is null ? null : Roster.Resolve((await AuthenticationState).User);
        ShowOperatorView();
    }
}
