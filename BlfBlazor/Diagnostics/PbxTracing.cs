using System.Diagnostics;

namespace BlfBlazor.Diagnostics;

/// <summary>
/// Spans of the PBX connection's life (session, connect, login, initial list), so a slow start
/// or resync shows where the time went. Free when nothing listens.
/// </summary>
internal static class PbxTracing
{
    public const string SourceName = "BlfBlazor.Pbx";

    public static readonly ActivitySource Source = new(SourceName);
}
