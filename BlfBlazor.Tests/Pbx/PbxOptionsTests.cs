using BlfBlazor.Pbx;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace BlfBlazor.Tests.Pbx;

[Trait("Category", "Unit")]
public class PbxOptionsTests
{
    [Theory]
    [InlineData("pbx.example.com", "wss://pbx.example.com/PBX0/APPS/websocket")]
    [InlineData("pbx.example.com:8443", "wss://pbx.example.com:8443/PBX0/APPS/websocket")]
    [InlineData("192.0.2.10", "wss://192.0.2.10/PBX0/APPS/websocket")]
    [InlineData("ws://127.0.0.1:7070/PBX0/APPS/websocket", "ws://127.0.0.1:7070/PBX0/APPS/websocket")]
    [InlineData("wss://pbx.example.com", "wss://pbx.example.com/PBX0/APPS/websocket")]
    [InlineData(" wss://pbx.example.com/custom/path ", "wss://pbx.example.com/custom/path")]
    public void Url_forms_become_the_AppWebsocket_address(string configured, string expected)
    {
        Assert.True(PbxAddress.TryParse(configured, out var uri));
        Assert.Equal(new Uri(expected), uri);
    }

    [Theory]
    [InlineData("http://pbx.example.com/PBX0/APPS/websocket")]
    [InlineData("https://pbx.example.com")]
    [InlineData("pbx.example.com/PBX0")]
    [InlineData("not a host")]
    [InlineData("ws://")]
    public void Non_websocket_urls_are_rejected(string configured)
    {
        Assert.False(PbxAddress.TryParse(configured, out _));
    }

    [Theory]
    [InlineData("wss://blf:s3cret@pbx.example.com/PBX0/APPS/websocket", null, "Pbx:Url")]
    [InlineData("blf:s3cret@pbx.example.com", null, "Pbx:Url")]
    [InlineData("ws://admin@pbx.example.com", null, "Pbx:Url")]
    [InlineData("pbx.example.com", "wss://blf:s3cret@standby.example.com", "Pbx:StandbyUrl")]
    public void Credentials_in_the_url_are_refused_naming_the_key_and_never_repeated(string url, string? standby, string key)
    {
        var result = Validator().Validate(null, new PbxOptions { Url = url, StandbyUrl = standby, App = "rcc", Secret = "pwd" });

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(key + " must not carry a user name or password", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", null, false)]
    [InlineData("Production", "false", false)]
    [InlineData("Production", "true", true)]
    [InlineData("Development", null, true)]
    [InlineData("Staging", null, true)]
    public void Production_without_a_PBX_refuses_to_start_unless_the_demo_is_asked_for(string environment, string? demo, bool starts)
    {
        var result = Validator(environment, demo).Validate(null, new PbxOptions());

        Assert.Equal(starts, result.Succeeded);
        if (!starts)
        {
            Assert.StartsWith("Pbx:Url is required in Production", Assert.Single(result.Failures!), StringComparison.Ordinal);
            Assert.Contains("Blf:Demo=true", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Empty_url_is_the_demo_and_needs_nothing_else()
    {
        var result = Validator().Validate(null, new PbxOptions());
        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("pbx.example.com", null, "pwd", "Pbx:App")]
    [InlineData("pbx.example.com", "rcc", null, "Pbx:Secret")]
    [InlineData("http://pbx.example.com", "rcc", "pwd", "Pbx:Url")]
    public void A_wrong_setting_is_named_in_the_failure(string url, string? app, string? secret, string key)
    {
        var result = Validator().Validate(null, new PbxOptions { Url = url, App = app, Secret = secret });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(key, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pbx.example.com", "http://standby.example.com")]
    [InlineData("pbx.example.com", "standby.example.com/path")]
    [InlineData(null, "standby.example.com")]
    public void A_wrong_standby_is_named_in_the_failure(string? url, string standby)
    {
        var result = Validator().Validate(null, new PbxOptions { Url = url, StandbyUrl = standby, App = "rcc", Secret = "pwd" });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Pbx:StandbyUrl", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("standby.example.com")]
    [InlineData("wss://standby.example.com:8443")]
    [InlineData("ws://10.0.0.2/PBX0/APPS/websocket")]
    public void The_standby_takes_the_same_forms_as_the_url(string standby)
    {
        var result = Validator().Validate(null, new PbxOptions { Url = "pbx.example.com", StandbyUrl = standby, App = "rcc", Secret = "pwd" });

        Assert.True(result.Succeeded);
    }

    private static PbxOptionsValidator Validator(string environment = "Development", string? demo = null) => new(
        new HostingEnvironment { EnvironmentName = environment },
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [PbxOptionsValidator.DemoKey] = demo }).Build());
}
