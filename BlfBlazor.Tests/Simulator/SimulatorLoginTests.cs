using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Faults;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Simulator;

[Trait("Category", "Integration")]
public class SimulatorLoginTests
{
    private const string App = "rcc";
    private const string Secret = "pwd";

    [Fact]
    public async Task Issues_a_fresh_16_hex_challenge_per_connection()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        await using var first = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);
        await using var second = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);

        var one = await first.ChallengeAsync(timeout.Token);
        var two = await second.ChallengeAsync(timeout.Token);

        Assert.Matches("^[0-9a-f]{16}$", one);
        Assert.Matches("^[0-9a-f]{16}$", two);
        Assert.NotEqual(one, two);
    }

    [Fact]
    public async Task Accepts_the_right_app_and_secret()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        await using var client = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);

        var result = await client.LoginAsync(App, Secret, timeout.Token);

        Assert.Equal("""{"mt":"AppLoginResult","ok":true}""", result.GetRawText());
        Assert.Equal(1, server.Pbx.SuccessfulLogins);
        Assert.Equal(0, server.Pbx.FailedLogins);
    }

    [Fact]
    public async Task Accepts_a_login_with_info_hashed_compact()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        await using var client = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);

        var result = await client.LoginAsync(App, Secret, timeout.Token, infoJson: """{"cn":"Jürgen Müller","n":[1,2]}""");

        Assert.True(result.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Refuses_a_wrong_secret_with_ok_false()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        await using var client = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);

        var result = await client.LoginAsync(App, "wrong", timeout.Token);

        Assert.Equal("AppLoginResult", result.GetProperty("mt").GetString());
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.String, result.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.String, result.GetProperty("errorText").ValueKind);
        Assert.Equal(1, server.Pbx.FailedLogins);
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task Refuses_another_app_even_with_a_digest_that_is_right_for_it()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        await using var client = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);

        var result = await client.LoginAsync("pbxadminapi", Secret, timeout.Token);

        Assert.False(result.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Refuses_a_login_before_any_challenge()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        await using var client = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);

        await client.SendLoginAsync(App, Secret, "0123456789abcdef", timeout.Token);
        var result = await client.ReceiveJsonAsync(timeout.Token);

        Assert.False(result.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_challenge_serves_one_login_attempt_only()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        await using var client = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);
        var challenge = await client.ChallengeAsync(timeout.Token);
        await client.SendLoginAsync(App, "wrong", challenge, timeout.Token);
        Assert.False((await client.ReceiveJsonAsync(timeout.Token)).GetProperty("ok").GetBoolean());

        await client.SendLoginAsync(App, Secret, challenge, timeout.Token);
        var replay = await client.ReceiveJsonAsync(timeout.Token);

        Assert.False(replay.GetProperty("ok").GetBoolean());
    }

    [Theory]
    [InlineData(LoginFault.OkFalse)]
    [InlineData(LoginFault.OmitOk)]
    public async Task Login_fault_refuses_even_the_right_credentials_in_its_shape(LoginFault fault)
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        server.Pbx.Faults.Login = fault;
        await using var client = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);

        var result = await client.LoginAsync(App, Secret, timeout.Token);

        Assert.Equal("AppLoginResult", result.GetProperty("mt").GetString());
        if (fault == LoginFault.OmitOk)
        {
            Assert.Equal("""{"mt":"AppLoginResult"}""", result.GetRawText());
        }
        else
        {
            Assert.False(result.GetProperty("ok").GetBoolean());
        }

        Assert.Equal(1, server.Pbx.FailedLogins);
        Assert.Equal(0, server.Pbx.SuccessfulLogins);
    }

    [Fact]
    public async Task Login_fault_close_socket_answers_with_a_normal_close()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        server.Pbx.Faults.Login = LoginFault.CloseSocket;
        await using var client = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);
        var challenge = await client.ChallengeAsync(timeout.Token);

        await client.SendLoginAsync(App, Secret, challenge, timeout.Token);
        var (type, _) = await client.ReceiveFrameAsync(timeout.Token);

        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        await server.Pbx.WhenOpenConnectionsAsync(open => open == 0, timeout.Token);
        Assert.Equal(1, server.Pbx.FailedLogins);
    }

    [Fact]
    public async Task Login_works_again_once_the_fault_is_cleared()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        server.Pbx.Faults.Login = LoginFault.OkFalse;
        await using var client = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);
        Assert.False((await client.LoginAsync(App, Secret, timeout.Token)).GetProperty("ok").GetBoolean());

        server.Pbx.Faults.Login = LoginFault.None;

        Assert.True((await client.LoginAsync(App, Secret, timeout.Token)).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Ignores_RCC_requests_before_login_and_invalid_json_always()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        await using var client = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);

        await client.SendAsync("""{"api":"RCC","mt":"Initialize","src":"early"}""", timeout.Token);
        await client.SendAsync("this is not json", timeout.Token);
        await client.SendAsync("""["mt","AppChallenge"]""", timeout.Token);
        await client.SendAsync("""{"mt":"KeepAlive"}""", timeout.Token);

        // The first answer is to the challenge: nothing above produced a frame or closed the socket.
        var challenge = await client.ChallengeAsync(timeout.Token);
        Assert.Matches("^[0-9a-f]{16}$", challenge);
    }

    [Fact]
    public async Task Serves_http_404_elsewhere_400_without_upgrade_and_a_text_line_at_root()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        var http = new UriBuilder(server.WebSocketUrl) { Scheme = "http", Path = "/" }.Uri;
        using var client = new HttpClient { BaseAddress = http };

        using var root = await client.GetAsync(new Uri("/", UriKind.Relative), timeout.Token);
        using var plain = await client.GetAsync(new Uri("/PBX0/APPS/websocket", UriKind.Relative), timeout.Token);
        using var elsewhere = await client.GetAsync(new Uri("/PBX0/APPS/other", UriKind.Relative), timeout.Token);

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Contains("simulated innovaphone PBX", await root.Content.ReadAsStringAsync(timeout.Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Starts_on_a_loopback_port()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);

        Assert.Equal("ws", server.WebSocketUrl.Scheme);
        Assert.Equal("127.0.0.1", server.WebSocketUrl.Host);
        Assert.NotEqual(0, server.WebSocketUrl.Port);
        Assert.Equal("/PBX0/APPS/websocket", server.WebSocketUrl.AbsolutePath);
    }

    [Fact]
    public async Task Refuses_to_start_with_invalid_options()
    {
        using var timeout = Timeout();

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => SimulatorServer.StartAsync(new SimulatorOptions { InitialBatchSize = 51, Secret = "" }, timeout.Token));

        Assert.Contains(error.Failures, failure => failure.Contains("Simulator:InitialBatchSize", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.Contains("Simulator:Secret", StringComparison.Ordinal));
    }

    private static CancellationTokenSource Timeout() => new(TestTimeouts.StateShown);

    private static Task<SimulatorServer> StartAsync(CancellationToken ct) =>
        SimulatorServer.StartAsync(new SimulatorOptions { App = App, Secret = Secret, Users = 5, EventsPerSecond = 0, Seed = 1 }, ct);
}
