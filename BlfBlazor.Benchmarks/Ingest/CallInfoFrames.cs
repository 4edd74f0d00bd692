using System.Globalization;
using System.Text;

namespace BlfBlazor.Benchmarks.Ingest;

/// <summary>
/// CallInfo frames as the reference shows them (CALLS.md §7): an external call that rings, is
/// answered, held, retrieved, released and deleted: six frames a call, with the full state each time.
/// </summary>
internal static class CallInfoFrames
{
    public const int FramesPerCall = 6;

    /// <summary>The monitor's answer that gives <paramref name="user"/> its handle (user + 1).</summary>
    public static byte[] UserInitializeResult(int user, int generation = 0) =>
        Encoding.UTF8.GetBytes($$"""{"api":"RCC","mt":"UserInitializeResult","src":"u:{{UserInfoFrames.Guid(user, generation)}}","user":{{user + 1}},"prefixIntl":"000","prefixNtl":"00","prefixSubs":"0","area":"7031","country":"49"}""");

    /// <summary>A call that rings and is given up: three frames.</summary>
    public const int FramesPerUnansweredCall = 3;

    /// <summary>One call's frames to <paramref name="user"/> (handle user + 1), call handle <paramref name="call"/>; <paramref name="generation"/> makes its <c>conf</c> another call's.</summary>
    public static IEnumerable<byte[]> Call(int user, int call, int generation = 0) =>
        Frames(user, call, generation, [(129, "r-setup", 0), (132, "x-alert", 0), (133, "x-conn", 6), (389, "update", 40), (133, "update", 52), (134, "r-rel", 98)]);

    /// <summary>A call that rings at <paramref name="user"/> and is given up by the caller: a missed call of that user.</summary>
    public static IEnumerable<byte[]> Unanswered(int user, int call, int generation = 0) =>
        Frames(user, call, generation, [(129, "r-setup", 0), (132, "x-alert", 0), (134, "r-rel", 20)]);

    /// <summary>The call's end: the leg deleted.</summary>
    public static byte[] Deleted(int user, int call) =>
        Encoding.UTF8.GetBytes($$"""{"api":"RCC","mt":"CallInfo","user":{{user + 1}},"call":{{call}},"msg":"del","del":true}""");

    private static IEnumerable<byte[]> Frames(int user, int call, int generation, (int State, string Msg, int Time)[] steps)
    {
        var src = $"u:{UserInfoFrames.Guid(user, 0)}";
        var number = (1_712_345_000 + call).ToString(CultureInfo.InvariantCulture);
        foreach (var (state, msg, time) in steps)
        {
            yield return Encoding.UTF8.GetBytes($$"""{"api":"RCC","mt":"CallInfo","src":"{{src}}","user":{{user + 1}},"call":{{call}},"conf":"c{{generation:x4}}{{call:x8}}","state":{{state}},"msg":"{{msg}}","peer":{"type":"","cn":"","dn":"","h323":"","e164":"0{{number}}"},"time":{{time}}}""");
        }
    }
}
