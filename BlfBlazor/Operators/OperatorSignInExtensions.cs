using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace BlfBlazor.Operators;

public static class OperatorSignInExtensions
{
    /// <summary>
    /// Operators and, when <c>Authentication:Schemes:OpenIdConnect:Authority</c> is set, OpenID Connect
    /// sign-in (authorization code + PKCE) into a cookie session. Without it, nothing is added that
    /// could change an anonymous board.
    /// </summary>
    public static WebApplicationBuilder AddOperatorSignIn(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OperatorOptions>()
            .Bind(builder.Configuration.GetSection(OperatorOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OperatorOptions>, OperatorOptionsValidator>();
        builder.Services.AddSingleton(services => new OperatorRoster(
            services.GetRequiredService<IOptionsMonitor<OperatorOptions>>(),
            services.GetRequiredService<State.UserDirectory>(),
            services.GetRequiredService<ILogger<OperatorRoster>>(),
            OperatorRoster.IsSignInConfigured(services.GetRequiredService<IConfiguration>())));
        builder.Services.TryAddSingleton<OperatorAudit>();
        builder.Services.AddCascadingAuthenticationState();

        if (!OperatorRoster.IsSignInConfigured(builder.Configuration))
        {
            return builder;
        }

        var oidc = builder.Configuration.GetSection(OperatorOptions.OpenIdConnectSection);
        var authority = new Uri(oidc["Authority"] ?? string.Empty, UriKind.RelativeOrAbsolute);

        // A plain-http provider is accepted on loopback only (the validator refuses any other), for
        // development and tests; there the handler's cross-site cookies cannot be Secure, and
        // need not be cross-site either, since the provider is on the same host.
        var loopbackHttp = authority.IsAbsoluteUri && authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback;

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                options.Cookie.Name = "blf.signin";
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.HttpOnly = true;

                // A sign-in lasts one shift from the moment of signing in, however busy the board:
                // a sliding session would let rights live on as long as somebody keeps clicking.
                options.SlidingExpiration = false;
            })
            .AddOpenIdConnect(options =>
            {
                // The handler binds this section itself too; read here so the settings below never
                // depend on which of the two runs first.
                options.Authority = oidc["Authority"];
                options.ClientId = oidc["ClientId"];
                options.ClientSecret = oidc["ClientSecret"];
                options.ResponseType = OpenIdConnectResponseType.Code;
                options.UsePkce = true;

                // Keeps the id_token in the (encrypted) cookie: providers such as Keycloak want it
                // as id_token_hint to end their session on sign-out.
                options.SaveTokens = true;

                // Claims keep the provider's names (sub, preferred_username, name, roles), which is what
                // Blf:OperatorClaim and the docs speak of.
                options.MapInboundClaims = false;
                options.TokenValidationParameters.NameClaimType = "name";
                options.TokenValidationParameters.RoleClaimType = "roles";
                options.Scope.Clear();
                options.Scope.Add(OpenIdConnectScope.OpenIdProfile);
                foreach (var scope in (oidc["Scope"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    options.Scope.Add(scope);
                }

                // Who signed in, for the audit trail; the tokens stay out of it.
                options.Events.OnTicketReceived = context =>
                {
                    if (context.Principal is { } person)
                    {
                        var services = context.HttpContext.RequestServices;
                        var login = person.FindFirst(services.GetRequiredService<OperatorRoster>().LoginClaim)?.Value ?? "(no operator claim)";
                        services.GetRequiredService<OperatorAudit>().SignedIn(login, person.FindFirst("name")?.Value ?? login);
                    }

                    return Task.CompletedTask;
                };

                if (loopbackHttp)
                {
                    options.RequireHttpsMetadata = false;
                    options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                    options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                    options.NonceCookie.SameSite = SameSiteMode.Lax;
                    options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                }
            });

        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<OperatorOptions>>((cookie, operators) => cookie.ExpireTimeSpan = TimeSpan.FromHours(operators.Value.SignInHours));

        // An open board re-asks the roster on a timer: rights taken away show without a reload.
        builder.Services.AddScoped<AuthenticationStateProvider, OperatorRightsRevalidation>();

        builder.Services.AddAuthorization();
        builder.Services.AddOptions<AuthorizationOptions>().Configure<IOptions<OperatorOptions>>((authorization, operators) =>
        {
            if (operators.Value.RequireSignIn)
            {
                // Every endpoint without a rule of its own (pages, the circuit's /_blazor, assets)
                // needs a signed-in user; health endpoints stay open for load balancers and monitors.
                authorization.FallbackPolicy = new AuthorizationPolicyBuilder()
                    .RequireAssertion(context => context.User.Identity?.IsAuthenticated == true || (context.Resource is HttpContext http && IsHealthPath(http.Request.Path)))
                    .Build();
            }
        });
        return builder;
    }

    /// <summary>The sign-in and sign-out endpoints (<c>/signin?returnUrl=…</c>, <c>POST /signout</c>); nothing without OpenID Connect.</summary>
    public static WebApplication MapOperatorSignIn(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<OperatorRoster>().SignInEnabled)
        {
            return app;
        }

        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/signin", (string? returnUrl) => Results.Challenge(
                new AuthenticationProperties { RedirectUri = LocalOrRoot(returnUrl) },
                [OpenIdConnectDefaults.AuthenticationScheme]))
            .AllowAnonymous();

        // A POST with the page's antiforgery token, so no other site can sign a viewer out.
        app.MapPost("/signout", async (HttpContext context, IAntiforgery antiforgery, OperatorRoster roster, OperatorAudit audit) =>
            {
                if (!await antiforgery.IsRequestValidAsync(context))
                {
                    return Results.BadRequest();
                }

                if (context.User.Identity?.IsAuthenticated == true)
                {
                    audit.SignedOut(context.User.FindFirst(roster.LoginClaim)?.Value ?? "(no operator claim)");
                }

                return Results.SignOut(
                    new AuthenticationProperties { RedirectUri = "/" },
                    [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
            })
            .AllowAnonymous();
        return app;
    }

    internal static bool IsHealthPath(PathString path) =>
        path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Only a path on this board: a sign-in link must never send someone on to another site. Checked
    /// as it came and once more unescaped, so an encoded slash, backslash or control character cannot
    /// turn into one after the check.
    /// </summary>
    internal static string LocalOrRoot(string? returnUrl) =>
        IsLocalPath(returnUrl) && IsLocalPath(Uri.UnescapeDataString(returnUrl!)) ? returnUrl! : "/";

    /// <summary>
    /// As ASP.NET Core's <c>IsLocalUrl</c> judges a path: one leading slash, not followed by a slash or a
    /// backslash (both start another host for a browser), and no control character anywhere (a browser
    /// drops tabs and line breaks, so <c>/\t/evil.example</c> would become <c>//evil.example</c>).
    /// </summary>
    private static bool IsLocalPath(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || url[1] is not ('/' or '\\')) && !url.Any(char.IsControl);
}
