using System.Security.Claims;

namespace BlfBlazor.Operators;

/// <summary>PLACEHOLDER until the sign-in branch lands: nobody is an operator.</summary>
public sealed class OperatorRoster
{
    public bool SignInEnabled => false;

    public Operator? Resolve(ClaimsPrincipal user) => null;
}
