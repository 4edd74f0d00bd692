using System.Net;
using BlfBlazor.Components;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Hosting;

/// <summary>
/// The <c>ForwardedHeaders</c> section: which reverse proxies (TLS-ending balancers) may tell the app
/// what the browser used (<c>X-Forwarded-Proto</c>) and who it is (<c>X-Forwarded-For</c>). Loopback is
/// always trusted (ASP.NET Core's default), so a proxy on the same machine needs nothing here.
/// </summary>
public sealed class ProxyTrustOptions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Addresses of proxies in front of the app, e.g. <c>10.0.0.5</c>.</summary>
    public IReadOnlyList<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of proxies in front of the app, in CIDR form, e.g. <c>10.0.0.0/24</c>.</summary>
    public IReadOnlyList<string> KnownNetworks { get; set; } = [];
}

public static class ProxyTrustHostingExtensions
{
    /// <summary>
    /// Reads <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from trusted proxies only, so behind
    /// a TLS-ending balancer the request counts as HTTPS: cookies are <c>Secure</c> and the sign-in's
    /// redirect URI is <c>https://</c>. A header from anyone else is ignored.
    /// </summary>
    public static WebApplicationBuilder AddProxyTrust(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProxyTrustOptions>()
            .Configure(options =>
            {
                // As Blf:FrameAncestors: a JSON list, or one separated value from the environment.
                options.KnownProxies = BoardOptions.ReadList(builder.Configuration.GetSection($"{ProxyTrustOptions.SectionName}:{nameof(ProxyTrustOptions.KnownProxies)}"));
                options.KnownNetworks = BoardOptions.ReadList(builder.Configuration.GetSection($"{ProxyTrustOptions.SectionName}:{nameof(ProxyTrustOptions.KnownNetworks)}"));
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ProxyTrustOptions>, ProxyTrustOptionsValidator>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyTrustOptions>>((forwarded, trust) =>
        {
            // Not X-Forwarded-Host: the proxies pass the browser's Host through unchanged, and a
            // forged host would be one more thing the redirect URI could be built from.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // Added to the loopback defaults (127.0.0.0/8, ::1), which stay.
            foreach (var proxy in trust.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in trust.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline: everything after it (cookies, sign-in, headers) sees the browser's scheme.</summary>
    public static WebApplication UseProxyTrust(this WebApplication app)
    {
        app.UseForwardedHeaders();
        return app;
    }
}

internal sealed class ProxyTrustOptionsValidator : IValidateOptions<ProxyTrustOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyTrustOptions options)
    {
        var failures = new List<string>();
        foreach (var proxy in options.KnownProxies)
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                failures.Add($"{ProxyTrustOptions.SectionName}:{nameof(ProxyTrustOptions.KnownProxies)} entry '{proxy}' is not an IP address. Use the address the proxy connects from, e.g. 10.0.0.5.");
            }
        }

        foreach (var network in options.KnownNetworks)
        {
            if (!network.Contains('/', StringComparison.Ordinal) || !System.Net.IPNetwork.TryParse(network, out _))
            {
                failures.Add($"{ProxyTrustOptions.SectionName}:{nameof(ProxyTrustOptions.KnownNetworks)} entry '{network}' is not a network. Use CIDR form, e.g. 10.0.0.0/24.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
