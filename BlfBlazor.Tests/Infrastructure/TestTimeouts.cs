using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Bunit;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>
/// Every bound a test puts on waiting, in one place. Each only turns a hang into a failure that
/// says what was awaited; none is a performance threshold. They are generous because the machine
/// running the suite may be a loaded 2-core CI runner.
/// </summary>
public static class TestTimeouts
{
    /// <summary>For a state to show up: the board live, a lamp changed, the simulator counting a login.</summary>
    public static readonly TimeSpan StateShown = TimeSpan.FromSeconds(30);

    /// <summary>For a process of its own (the app as an admin starts it) to start and, here, exit.</summary>
    public static readonly TimeSpan StartUp = TimeSpan.FromSeconds(60);

    /// <summary>For what a browser shows or reports: Playwright's expectations and page events.</summary>
    public static readonly TimeSpan BrowserWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a stopping app waits for open circuits (ASP.NET Core's default is 30 s). Not a wait
    /// of a test: short, so a page left open does not make every stop slow.
    /// </summary>
    public static readonly TimeSpan AppShutdown = TimeSpan.FromSeconds(5);

    /// <summary>
    /// bUnit's WaitFor* give up after 1 s by default, a threshold a loaded machine can miss; they
    /// wait for a state to show up like any other wait here.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "A test assembly: its waits are set once, before any test runs.")]
    internal static void BoundBunitWaits() => BunitContext.DefaultWaitTimeout = StateShown;
}
