using BlfBlazor.Components;
using Microsoft.Extensions.Configuration;

namespace BlfBlazor.Tests.Components;

[Trait("Category", "Unit")]
public class BoardOptionsTests
{
    [Theory]
    [InlineData("https://portal.example.com http://intranet:8080", "'self' https://portal.example.com http://intranet:8080")]
    [InlineData("https://portal.example.com,https://*.example.org", "'self' https://portal.example.com https://*.example.org")]
    [InlineData("", "'self'")]
    public void Frame_ancestors_from_the_environment_are_space_or_comma_separated(string value, string policy)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Blf:FrameAncestors"] = value }).Build();

        var options = new BoardOptions { FrameAncestors = BoardOptions.ReadList(config.GetSection("Blf:FrameAncestors")) };

        Assert.Equal(policy, options.FrameAncestorsPolicy);
    }

    [Fact]
    public void Frame_ancestors_from_json_are_a_list()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Blf:FrameAncestors:0"] = "https://portal.example.com",
            ["Blf:FrameAncestors:1"] = "https://wiki.example.com",
        }).Build();

        Assert.Equal(["https://portal.example.com", "https://wiki.example.com"], BoardOptions.ReadList(config.GetSection("Blf:FrameAncestors")));
    }

    [Theory]
    [InlineData("portal.example.com/path")]
    [InlineData("https://portal.example.com; script-src *")]
    [InlineData("'unsafe-inline'")]
    [InlineData("*")]
    public void Anything_but_an_origin_is_refused_naming_the_key(string origin)
    {
        var result = new BoardOptionsValidator().Validate(null, new BoardOptions { FrameAncestors = [origin] });

        Assert.True(result.Failed);
        Assert.StartsWith("Blf:FrameAncestors", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_needs_a_name_and_members()
    {
        var result = new BoardOptionsValidator().Validate(null, new BoardOptions { Groups = [new BoardGroup { Name = "" }] });

        Assert.Equal(2, result.Failures!.Count());
        Assert.All(result.Failures!, f => Assert.StartsWith("Blf:Groups:0", f, StringComparison.Ordinal));
    }
}
