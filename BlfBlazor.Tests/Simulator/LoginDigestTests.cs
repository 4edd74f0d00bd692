using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Protocol;

namespace BlfBlazor.Tests.Simulator;

[Trait("Category", "Unit")]
public class LoginDigestTests
{
    // Every vector of PROTOCOL.md §2: the hashed string and its digest.
    public static TheoryData<string, string> ProtocolVectors => new()
    {
        { "pbxadminapi:::::0123456789abcdef:pwd", "a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1" },
        { "pbxadminapi:::::{}:0123456789abcdef:pwd", "57b23fe824b9222a7ac879597cb509bcdc865a1bfeb057d9d12118cef0c3ba34" },
        { """pbxadminapi:::::{"cn":"Test User"}:0123456789abcdef:pwd""", "96db3c3f657230c2b68194becc6d2a77f05de9f79f01fc81e9ca0fb196b10d9d" },
        { "test:test.com::::0:secret", "66ee3f52256a8eed034603b98cbaf98890bab6f42adb4a34de928e1885d68293" },
        { "rcc::rcc:00000000000000000000000000000000:Admin:0123456789abcdef:pwd", "86e54cee7fcd6975a18a3f013508cc82f2b2a9a88ad9c6cbbae736bd3513c3d8" },
        { "rcc:example.com::::Jürgen Müller:0123456789abcdef:sëcret", "e5d06011ad37a10b1cf52c0e31c83bd2d1e531b11caeb8c7ccf27c889747e316" },
    };

    // The same vectors as the AppLogin a client sends, which the simulator must turn back into the
    // hashed string. The UTF-8 vector of the table has one ":" too many for app:domain:sip:guid:dn
    // (its string has 8 fields), so it cannot come from an AppLogin without info; the AppLogin
    // form uses dn "Jürgen Müller" with the table's other values, its digest computed with sha256sum.
    public static TheoryData<string, string, string, string, string> AppLogins => new()
    {
        {
            """{"mt":"AppLogin","app":"pbxadminapi"}""", "0123456789abcdef", "pwd",
            "pbxadminapi:::::0123456789abcdef:pwd",
            "a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1"
        },
        {
            """{"mt":"AppLogin","app":"pbxadminapi","info":{}}""", "0123456789abcdef", "pwd",
            "pbxadminapi:::::{}:0123456789abcdef:pwd",
            "57b23fe824b9222a7ac879597cb509bcdc865a1bfeb057d9d12118cef0c3ba34"
        },
        {
            """{"mt":"AppLogin","app":"pbxadminapi","info":{"cn":"Test User"}}""", "0123456789abcdef", "pwd",
            """pbxadminapi:::::{"cn":"Test User"}:0123456789abcdef:pwd""",
            "96db3c3f657230c2b68194becc6d2a77f05de9f79f01fc81e9ca0fb196b10d9d"
        },
        {
            """{"mt":"AppLogin","app":"test","domain":"test.com"}""", "0", "secret",
            "test:test.com::::0:secret",
            "66ee3f52256a8eed034603b98cbaf98890bab6f42adb4a34de928e1885d68293"
        },
        {
            """{"mt":"AppLogin","app":"rcc","domain":"","sip":"rcc","guid":"00000000000000000000000000000000","dn":"Admin","digest":"ignored","pbxObj":"rcc"}""",
            "0123456789abcdef", "pwd",
            "rcc::rcc:00000000000000000000000000000000:Admin:0123456789abcdef:pwd",
            "86e54cee7fcd6975a18a3f013508cc82f2b2a9a88ad9c6cbbae736bd3513c3d8"
        },
        {
            """{"mt":"AppLogin","app":"rcc","domain":"example.com","dn":"Jürgen Müller"}""", "0123456789abcdef", "sëcret",
            "rcc:example.com:::Jürgen Müller:0123456789abcdef:sëcret",
            "9bf3c94cdfa8e65cb713f277d9e23bbab1945d9c6d098c67c498608aae9f6795"
        },
    };

    [Theory]
    [MemberData(nameof(ProtocolVectors))]
    public void Hashes_every_protocol_vector(string hashedText, string digest)
    {
        Assert.Equal(digest, LoginDigest.Hash(hashedText));
        // The table itself, checked with the test's own SHA-256 code.
        Assert.Equal(digest, RccTestClient.Sha256Hex(hashedText));
    }

    [Theory]
    [MemberData(nameof(AppLogins))]
    public void Rebuilds_the_hashed_text_and_digest_from_the_received_AppLogin(
        string appLogin, string challenge, string password, string hashedText, string digest)
    {
        using var document = JsonDocument.Parse(appLogin);

        Assert.Equal(hashedText, LoginDigest.HashedText(document.RootElement, challenge, password));
        Assert.Equal(digest, LoginDigest.Expected(document.RootElement, challenge, password));
        Assert.Equal(digest, RccTestClient.Sha256Hex(hashedText));
    }

    [Theory]
    [MemberData(nameof(AppLogins))]
    public void Accepts_exactly_the_expected_digest(string appLogin, string challenge, string password, string hashedText, string digest)
    {
        _ = hashedText;
        using var withDigest = JsonDocument.Parse(WithDigest(appLogin, digest));
        using var upperCase = JsonDocument.Parse(WithDigest(appLogin, digest.ToUpperInvariant()));
        using var truncated = JsonDocument.Parse(WithDigest(appLogin, digest[..^1]));
        using var withoutDigest = JsonDocument.Parse("""{"mt":"AppLogin","app":"pbxadminapi"}""");

        Assert.True(LoginDigest.Matches(withDigest.RootElement, challenge, password));
        Assert.False(LoginDigest.Matches(upperCase.RootElement, challenge, password));
        Assert.False(LoginDigest.Matches(truncated.RootElement, challenge, password));
        Assert.False(LoginDigest.Matches(withDigest.RootElement, challenge, password + "x"));
        Assert.False(LoginDigest.Matches(withoutDigest.RootElement, challenge, password));
    }

    [Fact]
    public void Info_is_hashed_compact_in_received_order_whatever_whitespace_was_sent()
    {
        using var spaced = JsonDocument.Parse("""{"app":"pbxadminapi","info": { "cn" : "Test User" } }""");

        Assert.Equal(
            "96db3c3f657230c2b68194becc6d2a77f05de9f79f01fc81e9ca0fb196b10d9d",
            LoginDigest.Expected(spaced.RootElement, "0123456789abcdef", "pwd"));
    }

    [Fact]
    public void Info_is_hashed_without_needless_escapes_and_with_members_in_received_order()
    {
        using var escaped = JsonDocument.Parse(
            """{"app":"a","info":{"z":1,"cn":"J\u00fcrgen <M\u00fcller> & \"Co\"\\","a":[true,null,1.50,{"x":"\n"}]}}""");

        Assert.Equal(
            """a:::::{"z":1,"cn":"Jürgen <Müller> & \"Co\"\\","a":[true,null,1.50,{"x":"\n"}]}:c:p""",
            LoginDigest.HashedText(escaped.RootElement, "c", "p"));
    }

    [Fact]
    public void Null_info_and_null_fields_hash_as_absent()
    {
        using var nulls = JsonDocument.Parse("""{"app":"pbxadminapi","domain":null,"info":null}""");

        Assert.Equal("pbxadminapi:::::0123456789abcdef:pwd", LoginDigest.HashedText(nulls.RootElement, "0123456789abcdef", "pwd"));
    }

    private static string WithDigest(string appLogin, string digest)
    {
        using var document = JsonDocument.Parse(appLogin);
        var members = document.RootElement.EnumerateObject()
            .Where(member => member.Name != "digest")
            .Select(member => $"{JsonSerializer.Serialize(member.Name)}:{member.Value.GetRawText()}")
            .Append($"\"digest\":\"{digest}\"");
        return "{" + string.Join(",", members) + "}";
    }
}
