using System.Text;
using BlfBlazor.Pbx;

namespace BlfBlazor.Tests.Pbx;

[Trait("Category", "Unit")]
public class PbxMessageReaderTests
{
    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("\"UserInfo\"", "not a JSON object")]
    [InlineData("{\"mt\":\"UserInfo\",\"guid\":\"a1\"", "not valid JSON")]
    [InlineData("{\"mt\":\"UserInfo\"}", "UserInfo without guid")]
    [InlineData("{\"mt\":\"UserInfo\",\"guid\":42}", "wrongly typed 'guid'")]
    [InlineData("{\"mt\":\"UserInfo\",\"guid\":\"a1\",\"regs\":\"ip232\"}", "wrongly typed 'regs'")]
    [InlineData("{\"mt\":\"UserInfo\",\"guid\":\"a1\",\"alert\":\"yes\"}", "wrongly typed 'alert'")]
    [InlineData("{\"mt\":\"UserInfo\",\"guid\":\"a1\",\"channel\":-1}", "wrongly typed 'channel'")]
    [InlineData("{\"mt\":\"UserInfo\",\"guid\":\"a1\",\"dn\":{\"x\":1}}", "wrongly typed 'dn'")]
    [InlineData("{\"mt\":\"UserInfo\",\"guid\":\"a1\",\"update\":1}", "wrongly typed 'update'")]
    [InlineData("{\"mt\":\"UserInfo\",\"guid\":\"a1\",\"regs\":[\"ip232\"]}", "wrongly typed 'regs'")]
    [InlineData("{\"mt\":7}", "mt is not a string")]
    [InlineData("{\"guid\":\"a1\"}", "no mt")]
    [InlineData("{\"mt\":\"UserInfo\",\"guid\":\"a1\"}{\"mt\":\"UserInfo\"}", "not valid JSON")]
    [InlineData("{\"mt\":\"UserInfo\",\"guid\":\"a1\",\"x\":[[[[[[[[[[1]]]]]]]]]]}", "not valid JSON")]
    public void Malformed_frames_are_rejected_with_a_reason(string json, string reason)
    {
        Assert.False(PbxMessageReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_string_is_not_a_name()
    {
        var json = $$"""{"mt":"UserInfo","guid":"a1","dn":"{{new string('x', 100_000)}}","regs":[{"hw":"x"}]}""";

        Assert.False(PbxMessageReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Contains("oversized 'dn'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_of_normal_length_pass_in_any_script()
    {
        var name = string.Concat(Enumerable.Repeat("Jürgen Müller 李小龍 ", 10));
        var frame = Read($$"""{"mt":"UserInfo","guid":"a1","dn":"{{name}}"}""");
        Assert.Equal(name, frame.User!.Value.Dn);
    }

    [Fact]
    public void Only_a_literal_true_is_a_successful_login()
    {
        Assert.True(Read("""{"mt":"AppLoginResult","ok":true}""").LoginOk);
        Assert.False(Read("""{"mt":"AppLoginResult","ok":false,"error":"5","errorText":"wrong digest"}""").LoginOk);
        Assert.False(Read("""{"mt":"AppLoginResult"}""").LoginOk);
        Assert.False(Read("""{"mt":"AppLoginResult","ok":"true"}""").LoginOk);
        Assert.Equal("wrong digest", Read("""{"mt":"AppLoginResult","ok":false,"error":"5","errorText":"wrong digest"}""").LoginError);
    }

    [Fact]
    public void Unknown_message_types_are_read_as_other()
    {
        Assert.Equal(PbxMessageType.Other, Read("""{"mt":"DevicesResult","api":"RCC","user":3}""").Type);
        Assert.Equal(PbxMessageType.Other, Read("""{"mt":"UserInfoX","api":"RCC","guid":"a1"}""").Type);
    }

    [Theory]
    [InlineData("CallInfo", "CallInfo")]
    [InlineData("CallDel", "CallDel")]
    [InlineData("CallDelete", "CallDel")]
    [InlineData("PresenceUpdate", "PresenceUpdate")]
    [InlineData("UserCallResult", "ActionResult")]
    [InlineData("UserPickupResult", "ActionResult")]
    [InlineData("UserTransferResult", "ActionResult")]
    public void Call_and_presence_messages_are_recognised_for_their_monitor(string mt, string type)
    {
        Assert.Equal(Enum.Parse<PbxMessageType>(type), Read($$"""{"mt":"{{mt}}","api":"RCC","user":3}""").Type);
    }

    private static PbxMessage Read(string json)
    {
        Assert.True(PbxMessageReader.TryRead(Encoding.UTF8.GetBytes(json), out var frame, out var error), error);
        return frame;
    }

    [Theory]
    [InlineData("""{"api":"PbxApi","mt":"SetPresenceResult","src":"a:1","error":0}""", null)]
    [InlineData("""{"api":"PbxApi","mt":"SetPresenceResult","src":"a:1"}""", null)]
    [InlineData("""{"api":"PbxApi","mt":"SetPresenceResult","src":"a:1","error":1,"errorText":"unknown user"}""", "unknown user")]
    [InlineData("""{"api":"PbxApi","mt":"SetPresenceResult","src":"a:1","errorText":"unknown user","error":1}""", "unknown user")]
    [InlineData("""{"api":"PbxApi","mt":"SetPresenceResult","src":"a:1","error":7}""", "error")]
    [InlineData("""{"api":"PbxApi","mt":"AddDiversionResult","src":"a:1","error":"not found"}""", "not found")]
    public void An_answers_error_is_its_words_wherever_they_stand_and_error_0_is_success(string json, string? error)
    {
        Assert.Equal(error, Read(json).Error);
    }
}
