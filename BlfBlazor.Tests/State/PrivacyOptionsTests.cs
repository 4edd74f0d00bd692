using BlfBlazor.State;

namespace BlfBlazor.Tests.State;

/// <summary><c>Blf:ShowObjects</c>: a wrong entry stops start-up naming the key.</summary>
[Trait("Category", "Unit")]
public sealed class PrivacyOptionsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("trunk,gw")]
    [InlineData("<script>")]
    public void A_word_that_is_no_object_type_is_refused_naming_the_key(string type)
    {
        var result = new PrivacyOptionsValidator().Validate(null, new PrivacyOptions { ShowObjects = ["executive", type] });

        Assert.True(result.Failed);
        Assert.StartsWith("Blf:ShowObjects", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Named_types_are_shown_beside_people_and_nothing_else_is()
    {
        var options = new PrivacyOptions { ShowObjects = ["Trunk", "bool"] };

        Assert.True(new PrivacyOptionsValidator().Validate(null, options).Succeeded);
        var shown = options.Shown();
        Assert.True(shown.IsShown(""));
        Assert.True(shown.IsShown("trunk"));
        Assert.True(shown.IsShown("bool"));
        Assert.False(shown.IsShown("executive"));
        Assert.False(shown.IsShown("gw"));
        Assert.True(new PrivacyOptions().Shown().IsShown("executive"));
    }
}
