using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BlfBlazor.Benchmarks.Ingest;

/// <summary>
/// UserInfo frames as the simulated PBX writes them (every property it sends, regs only when a phone
/// is registered, channel/alert only when not 0, names as raw UTF-8), made here for the micro-benchmark.
/// </summary>
internal static class UserInfoFrames
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] s_first = ["Anna", "Lukas", "Sophie", "Jürgen", "Zoë", "Emre", "Clara", "Tobias"];
    private static readonly string[] s_last = ["Berger", "Müller", "Schmidt", "Yılmaz", "Weber", "García", "Novak", "Öztürk"];

    /// <summary>0 offline, 1 idle, 2 busy, 3 ringing.</summary>
    public static byte[] UserInfo(int user, int lamp, string? update, int generation = 0)
    {
        var buffer = new ArrayBufferWriter<byte>(320);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            var first = s_first[user % s_first.Length];
            var last = s_last[user / s_first.Length % s_last.Length];
            writer.WriteStartObject();
            writer.WriteString("api", "RCC");
            writer.WriteString("mt", "UserInfo");
            writer.WriteString("src", "blf");
            if (update is not null)
            {
                writer.WriteString("update", update);
            }

            writer.WriteString("guid", Guid(user, generation));
            writer.WriteString("cn", $"{first} {last} {user}");
            writer.WriteString("dn", user % 10 == 0 ? "" : $"{first} {last} {user}");
            writer.WriteString("h323", $"{first[0]}{last}{user}".ToLowerInvariant());
            writer.WriteString("e164", (100 + user).ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("node", "root");
            writer.WriteString("pbx", "master");
            writer.WriteString("pseudo", "");
            if (lamp > 0)
            {
                writer.WriteStartArray("regs");
                writer.WriteStartObject();
                writer.WriteString("hw", $"IP232-{user:x6}");
                writer.WriteEndObject();
                writer.WriteEndArray();
            }

            if (lamp == 2)
            {
                writer.WriteNumber("channel", 1);
            }

            if (lamp == 3)
            {
                writer.WriteNumber("alert", 1);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] InitializeResult() => """{"api":"RCC","mt":"InitializeResult","src":"blf"}"""u8.ToArray();

    /// <summary>32 hex digits like the PBX's guids; another <paramref name="generation"/> gives other users.</summary>
    public static string Guid(int user, int generation) => $"{generation:x8}{user:x24}";
}
