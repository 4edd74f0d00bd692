using BlfBlazor.Pbx.Connection;

namespace BlfBlazor.Tests.Pbx;

/// <summary>The client's digest against every public vector (PROTOCOL.md §2).</summary>
[Trait("Category", "Unit")]
public class AppLoginDigestTests
{
    [Theory]
    [InlineData("pbxadminapi", "", "", "", "", null, "0123456789abcdef", "pwd", "a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1")]
    [InlineData("pbxadminapi", "", "", "", "", "{}", "0123456789abcdef", "pwd", "57b23fe824b9222a7ac879597cb509bcdc865a1bfeb057d9d12118cef0c3ba34")]
    [InlineData("pbxadminapi", "", "", "", "", "{\"cn\":\"Test User\"}", "0123456789abcdef", "pwd", "96db3c3f657230c2b68194becc6d2a77f05de9f79f01fc81e9ca0fb196b10d9d")]
    [InlineData("test", "test.com", "", "", "", null, "0", "secret", "66ee3f52256a8eed034603b98cbaf98890bab6f42adb4a34de928e1885d68293")]
    [InlineData("rcc", "", "rcc", "00000000000000000000000000000000", "Admin", null, "0123456789abcdef", "pwd", "86e54cee7fcd6975a18a3f013508cc82f2b2a9a88ad9c6cbbae736bd3513c3d8")]
    // This vector's hashed text has four colons after the domain, so the name sits in the sixth
    // (info) position after an empty dn; what it checks is that non-ASCII text is hashed as UTF-8.
    [InlineData("rcc", "example.com", "", "", "", "Jürgen Müller", "0123456789abcdef", "sëcret", "e5d06011ad37a10b1cf52c0e31c83bd2d1e531b11caeb8c7ccf27c889747e316")]
    public void Matches_the_public_test_vector(string app, string domain, string sip, string guid, string dn, string? info, string challenge, string password, string expected)
    {
        Assert.Equal(expected, AppLoginDigest.Compute(app, domain, sip, guid, dn, info, challenge, password));
    }

    [Fact]
    public void Login_message_carries_the_digest_of_exactly_the_fields_it_sends()
    {
        var target = new PbxTarget(new Uri("ws://127.0.0.1/PBX0/APPS/websocket"), "rcc", "pwd", domain: null);
        var output = new System.Buffers.ArrayBufferWriter<byte>();

        LoginRequests.WriteAppLogin(output, target, "0123456789abcdef");

        using var login = System.Text.Json.JsonDocument.Parse(output.WrittenMemory);
        var root = login.RootElement;
        Assert.Equal("AppLogin", root.GetProperty("mt").GetString());
        Assert.Equal("rcc", root.GetProperty("app").GetString());
        Assert.Equal("rcc", root.GetProperty("sip").GetString());
        Assert.Equal("00000000000000000000000000000000", root.GetProperty("guid").GetString());
        Assert.Equal("Admin", root.GetProperty("dn").GetString());
        Assert.False(root.TryGetProperty("info", out _));

        // The fifth public vector is exactly this login.
        Assert.Equal("86e54cee7fcd6975a18a3f013508cc82f2b2a9a88ad9c6cbbae736bd3513c3d8", root.GetProperty("digest").GetString());
        Assert.DoesNotContain("pwd", System.Text.Encoding.UTF8.GetString(output.WrittenSpan), StringComparison.Ordinal);
    }
}
