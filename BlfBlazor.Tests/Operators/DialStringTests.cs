using BlfBlazor.Operators;

namespace BlfBlazor.Tests.Operators;

[Trait("Category", "Unit")]
public sealed class DialStringTests
{
    [Theory]
    [InlineData("+49 711 4711", "+497114711")]
    [InlineData("0711/4711", "07114711")]
    [InlineData("(0711) 47-11", "07114711")]
    [InlineData(" 101 ", "101")]
    [InlineData("0711.47\u00A011", "07114711")]
    public void What_people_type_becomes_the_digits_the_PBX_dials(string typed, string dialled) =>
        Assert.Equal(dialled, DialString.Normalize(typed));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("+")]
    [InlineData("Anna")]
    [InlineData("0711+4711")]
    [InlineData("123*")]
    public void What_is_not_a_number_is_refused(string typed) => Assert.Null(DialString.Normalize(typed));
}
