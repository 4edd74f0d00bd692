using System.Text;
using BlfBlazor.Pbx;
using BlfBlazor.State;

namespace BlfBlazor.Tests.Pbx;

/// <summary>
/// A lamp change repeats all of a user's names; the reader reuses the known record's strings for
/// them, whatever the script or the JSON escaping, and never reuses a string whose text changed.
/// </summary>
[Trait("Category", "Unit")]
public class MessageReaderStringReuseTests
{
    private static readonly PbxUserInfo s_known = new("g-1", "jürgen", "Jürgen Müller", "0711 4711", "jmüller", "Zürich", "master", 1, 0, 0);

    [Theory]
    [InlineData("""{"mt":"UserInfo","update":"upd","guid":"g-1","cn":"jürgen","dn":"Jürgen Müller","e164":"0711 4711","h323":"jmüller","node":"Zürich","pbx":"master","regs":[{}],"channel":1}""")]
    [InlineData("""{"mt":"UserInfo","update":"upd","guid":"g\u002d1","cn":"j\u00fcrgen","dn":"J\u00fcrgen M\u00fcller","e164":"0711\u00204711","h323":"jm\u00fcller","node":"Z\u00fcrich","pbx":"m\u0061ster","regs":[{}],"channel":1}""")]
    public void Unchanged_names_are_the_known_strings(string json)
    {
        var user = Read(json);

        Assert.Equal(LampState.Busy, user.Lamp);
        Assert.Same(s_known.Guid, user.Guid);
        Assert.Same(s_known.Cn, user.Cn);
        Assert.Same(s_known.Dn, user.Dn);
        Assert.Same(s_known.E164, user.E164);
        Assert.Same(s_known.H323, user.H323);
        Assert.Same(s_known.Node, user.Node);
        Assert.Same(s_known.Pbx, user.Pbx);
    }

    [Theory]
    [InlineData("""{"mt":"UserInfo","update":"upd","guid":"g-1","cn":"jürgen","dn":"Jürgen Mülller","e164":"0711 4712","regs":[{}]}""")]
    [InlineData("""{"mt":"UserInfo","update":"upd","guid":"g-1","cn":"jürgen","dn":"J\u00fcrgen M\u00fclller","e164":"0711 4712","regs":[{}]}""")]
    public void A_changed_name_is_read_as_it_is_now(string json)
    {
        var user = Read(json);

        Assert.Same(s_known.Cn, user.Cn);
        Assert.Equal("Jürgen Mülller", user.Dn);
        Assert.Equal("0711 4712", user.E164);
        Assert.Null(user.H323);
    }

    [Fact]
    public void A_name_of_the_same_length_in_another_script_is_not_taken_for_the_known_one()
    {
        // "Jürgen Müller" has 13 characters; so has this one, in 2-byte UTF-8 letters throughout.
        var user = Read("""{"mt":"UserInfo","guid":"g-1","dn":"Юрген Мюллер!"}""");

        Assert.Equal("Юрген Мюллер!", user.Dn);
    }

    private static PbxUserInfo Read(string json)
    {
        Assert.True(PbxMessageReader.TryRead(Encoding.UTF8.GetBytes(json), new KnownRecords(s_known), out var message, out var error), error);
        return message.User!.Value;
    }

    private sealed class KnownRecords(PbxUserInfo user) : IKnownUserRecords
    {
        public PbxUserInfo? Find(ReadOnlySpan<char> guid) => guid.SequenceEqual(user.Guid) ? user : null;
    }
}
