using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BlfBlazor.Tests.Simulator;

/// <summary>
/// A deliberately plain AppWebsocket client for testing the simulator, written independently of
/// both the simulator and the app: ClientWebSocket, string-built JSON, its own digest.
/// </summary>
internal sealed class RccTestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    private RccTestClient()
    {
    }

    public WebSocketState State => _socket.State;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Connects; <paramref name="configure"/> may set socket options first (e.g. certificate validation).</summary>
    public static async Task<RccTestClient> ConnectAsync(Uri url, CancellationToken ct, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = new RccTestClient();
        try
        {
            configure?.Invoke(client._socket.Options);
            await client._socket.ConnectAsync(url, ct);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects and logs in with the right credentials, asserting ok:true.</summary>
    public static async Task<RccTestClient> ConnectAndLoginAsync(
        Uri url, string app, string secret, CancellationToken ct, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = await ConnectAsync(url, ct, configure);
        var result = await client.LoginAsync(app, secret, ct);
        Assert.True(result.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True, result.GetRawText());
        return client;
    }

    public static string Sha256Hex(string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var hex = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }

    public Task SendAsync(string text, CancellationToken ct) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, ct);

    /// <summary>Starts the close handshake with this status (the client's own close, not an answer).</summary>
    public Task SendCloseAsync(WebSocketCloseStatus status, string description, CancellationToken ct) =>
        _socket.CloseOutputAsync(status, description, ct);

    /// <summary>Cuts the connection without a close frame.</summary>
    public void Abort() => _socket.Abort();

    /// <summary>The next frame, whole; a close frame is answered and comes back as type Close with no payload.</summary>
    public async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveFrameAsync(CancellationToken ct)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                // Complete the close handshake, as a well-behaved client does.
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct);
                }

                return (WebSocketMessageType.Close, []);
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    public async Task<string> ReceiveTextAsync(CancellationToken ct)
    {
        var (type, payload) = await ReceiveFrameAsync(ct);
        Assert.Equal(WebSocketMessageType.Text, type);
        return Encoding.UTF8.GetString(payload);
    }

    public async Task<JsonElement> ReceiveJsonAsync(CancellationToken ct)
    {
        using var document = JsonDocument.Parse(await ReceiveTextAsync(ct));
        return document.RootElement.Clone();
    }

    public async Task<string> ChallengeAsync(CancellationToken ct)
    {
        await SendAsync("""{"mt":"AppChallenge"}""", ct);
        var result = await ReceiveJsonAsync(ct);
        Assert.Equal("AppChallengeResult", result.GetProperty("mt").GetString());
        return result.GetProperty("challenge").GetString()!;
    }

    /// <summary>Challenge, then AppLogin the way innovaphone's JS library does it; returns the next frame (the AppLoginResult).</summary>
    public async Task<JsonElement> LoginAsync(string app, string secret, CancellationToken ct, string? infoJson = null)
    {
        var challenge = await ChallengeAsync(ct);
        await SendLoginAsync(app, secret, challenge, ct, infoJson);
        return await ReceiveJsonAsync(ct);
    }

    public Task SendLoginAsync(string app, string secret, string challenge, CancellationToken ct, string? infoJson = null)
    {
        const string Guid = "00000000000000000000000000000000";
        const string Dn = "Admin";
        var info = infoJson is null ? "" : infoJson + ":";
        var digest = Sha256Hex($"{app}::{app}:{Guid}:{Dn}:{info}{challenge}:{secret}");
        var infoProperty = infoJson is null ? "" : $",\"info\":{infoJson}";
        return SendAsync(
            $"{{\"mt\":\"AppLogin\",\"app\":\"{app}\",\"domain\":\"\",\"sip\":\"{app}\",\"guid\":\"{Guid}\",\"dn\":\"{Dn}\"{infoProperty},\"digest\":\"{digest}\",\"pbxObj\":\"{app}\"}}",
            ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Best effort: the test is over.
            }
        }

        _socket.Dispose();
    }
}
