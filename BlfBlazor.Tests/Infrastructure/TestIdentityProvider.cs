using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>A person the test provider can sign in: their login (their sub and preferred_username), name and roles.</summary>
public sealed record TestPerson(string Login, string Name, params string[] Roles);

/// <summary>
/// A real OpenID Connect provider (OpenIddict) on a loopback port: discovery, authorization code
/// with PKCE, a confidential client, signed id_tokens, end session. Its login page is a form with
/// one field, the login of a <see cref="TestPerson"/>; whoever is named there is signed in, with
/// sub, name, preferred_username and roles claims.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "blf-board";

    private readonly WebApplication _app;
    private readonly ImmutableDictionary<string, TestPerson> _people;

    private TestIdentityProvider(WebApplication app, IEnumerable<TestPerson> people)
    {
        _app = app;
        _people = people.ToImmutableDictionary(p => p.Login, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The provider's issuer, for <c>Authentication:Schemes:OpenIdConnect:Authority</c>.</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>The client secret the board must present; a test that looks for leaks chooses a distinctive one.</summary>
    public required string ClientSecret { get; init; }

    /// <summary>The settings an admin would give the board for this provider.</summary>
    public IReadOnlyDictionary<string, string?> BoardSettings => new Dictionary<string, string?>
    {
        ["Authentication:Schemes:OpenIdConnect:Authority"] = Authority.ToString(),
        ["Authentication:Schemes:OpenIdConnect:ClientId"] = ClientId,
        ["Authentication:Schemes:OpenIdConnect:ClientSecret"] = ClientSecret,
    };

    /// <param name="certificate">Serve https:// with this certificate, as a provider in production does; plain http:// without.</param>
    public static async Task<TestIdentityProvider> StartAsync(string clientSecret, IEnumerable<TestPerson> people, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        builder.Logging.ClearProviders();
        var store = $"provider-{Guid.NewGuid():N}";
        builder.Services.AddDbContext<ProviderStore>(options =>
        {
            options.UseInMemoryDatabase(store);
            options.UseOpenIddict();
        });
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<ProviderStore>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/logout");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Roles);
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });

        var app = builder.Build();
        var provider = new TestIdentityProvider(app, people) { ClientSecret = clientSecret };
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Delegate)provider.AuthorizeAsync);
        app.MapPost("/connect/token", (Delegate)ExchangeAsync);
        app.MapMethods("/connect/logout", [HttpMethods.Get, HttpMethods.Post], () => Results.SignOut(
            new() { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider.Authority = new Uri(address.EndsWith('/') ? address : address + "/");
        return provider;
    }

    /// <summary>Registers the board at this address as the client (its redirect and sign-out callback URIs).</summary>
    public async Task RegisterBoardAsync(Uri board)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var client = new OpenIddictApplicationDescriptor();
        var existing = await applications.FindByClientIdAsync(ClientId);
        if (existing is null)
        {
            client.ClientId = ClientId;
            client.ClientType = ClientTypes.Confidential;
            client.Permissions.UnionWith(
            [
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile, Permissions.Scopes.Roles,
            ]);
            client.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }
        else
        {
            // Another board of the same test: one client with the callbacks of both.
            await applications.PopulateAsync(client, existing);
        }

        client.ClientSecret = ClientSecret;
        client.RedirectUris.Add(new Uri(board, "signin-oidc"));
        client.PostLogoutRedirectUris.Add(new Uri(board, "signout-callback-oidc"));
        if (existing is null)
        {
            await applications.CreateAsync(client);
        }
        else
        {
            await applications.UpdateAsync(existing, client);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>The login page (a form naming the person), then the code for whoever was named.</summary>
    private async Task<IResult> AuthorizeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var login = context.Request.HasFormContentType ? context.Request.Form["test_login"].ToString() : string.Empty;
        if (!_people.TryGetValue(login, out var person))
        {
            return Results.Content(LoginPage(request, login), "text/html; charset=utf-8");
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, person.Login)
            .SetClaim(Claims.Name, person.Name)
            .SetClaim(Claims.PreferredUsername, person.Login)
            .SetClaims(Claims.Role, [.. person.Roles]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The code for tokens: the principal the code carries, as it was signed in.</summary>
    private static async Task<IResult> ExchangeAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (result.Principal is not { } principal)
        {
            return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        principal.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    // Every parameter of the request travels along as a hidden field, so the form posts the whole
    // authorization request back to the endpoint together with the login.
    private static string LoginPage(OpenIddictRequest request, string tried)
    {
        var html = new StringBuilder("<!DOCTYPE html><html><head><title>Test provider</title></head><body><h1>Sign in to the test provider</h1>");
        if (tried.Length > 0)
        {
            html.Append("<p role=\"alert\">Unknown login.</p>");
        }

        html.Append("<form method=\"post\" action=\"/connect/authorize\">");
        foreach (var (name, value) in request.GetParameters())
        {
            html.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(name)}\" value=\"{WebUtility.HtmlEncode((string?)value)}\" />");
        }

        html.Append("<label>Login <input name=\"test_login\" data-testid=\"idp-login\" /></label><button type=\"submit\" data-testid=\"idp-submit\">Sign in</button></form></body></html>");
        return html.ToString();
    }

    private sealed class ProviderStore(DbContextOptions<ProviderStore> options) : DbContext(options);
}
