using BlfBlazor.Hosting;

namespace BlfBlazor.Tests.Hosting;

[Trait("Category", "Unit")]
public class ProxyTrustOptionsTests
{
    [Fact]
    public void Addresses_and_networks_in_CIDR_form_are_accepted()
    {
        var result = new ProxyTrustOptionsValidator().Validate(null, new ProxyTrustOptions { KnownProxies = ["10.0.0.5", "fd00::5"], KnownNetworks = ["10.0.0.0/24", "fd00::/64"] });

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("balancer.example.com")]
    [InlineData("10.0.0.0/24")]
    public void A_proxy_that_is_not_an_address_is_refused_naming_the_key(string proxy)
    {
        var result = new ProxyTrustOptionsValidator().Validate(null, new ProxyTrustOptions { KnownProxies = [proxy] });

        Assert.StartsWith("ForwardedHeaders:KnownProxies", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("everything")]
    public void A_network_that_is_not_in_CIDR_form_is_refused_naming_the_key(string network)
    {
        var result = new ProxyTrustOptionsValidator().Validate(null, new ProxyTrustOptions { KnownNetworks = [network] });

        Assert.StartsWith("ForwardedHeaders:KnownNetworks", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
