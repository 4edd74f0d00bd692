using System.IO.Compression;
using BlfBlazor.Components.Board;
using BlfBlazor.Health;
using BlfBlazor.Resources;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Components;

public static class BoardHostingExtensions
{
    /// <summary>How often the server pings an idle page; board.js waits four of these before it calls the server lost.</summary>
    public static readonly TimeSpan ServerKeepAliveInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a prerendered board waits for its circuit before it says it has no connection (board-stale.js).
    /// A loaded instance starts circuits within a second or two; until then the board says "connecting" anyway.
    /// </summary>
    public static readonly TimeSpan CircuitStartTimeout = TimeSpan.FromSeconds(8);

    /// <summary>Disconnected circuits kept for their page to resume: as many as an instance holds open boards (measured: 1,000).</summary>
    public const int MaxRetainedCircuits = 1000;

    /// <summary>The board UI (interactive Server components) and its health endpoint.</summary>
    public static WebApplicationBuilder AddBoard(this WebApplicationBuilder builder)
    {
        // Serve blazor.web.js and the scoped CSS from the build output in every environment, so
        // `dotnet run` works in Production too; published output has no manifest and is unaffected.
        builder.WebHost.UseStaticWebAssets();

        builder.Services.AddOptions<BoardOptions>()
            .Bind(builder.Configuration.GetSection(BoardOptions.SectionName))
            .Configure(options => options.FrameAncestors = BoardOptions.ReadList(builder.Configuration.GetSection($"{BoardOptions.SectionName}:{nameof(BoardOptions.FrameAncestors)}")))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BoardOptions>, BoardOptionsValidator>();

        // Framing is governed by the CSP frame-ancestors list alone; the antiforgery default
        // X-Frame-Options: SAMEORIGIN would contradict a portal allowlist.
        builder.Services.AddAntiforgery(options =>
        {
            options.SuppressXFrameOptionsHeader = true;

            // Secure whenever the browser used HTTPS (also behind a TLS-ending proxy, see ProxyTrust);
            // the default would never mark it Secure.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        builder.Services.AddLocalization();

        // Every board's render reads a few dozen texts: looked up once per language, not per render.
        builder.Services.AddSingleton(typeof(IStringLocalizer<>), typeof(CachedStringLocalizer<>));
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            options.SetDefaultCulture("en").AddSupportedCultures("en", "de").AddSupportedUICultures("en", "de");
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;

            // ?lang= first, then the cookie that carries it to the circuit, then the browser's languages.
            options.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider { QueryStringKey = "lang", UIQueryStringKey = "lang" },
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });

        // The prerendered board is one HTML document of about 300 bytes a tile (311 KB at 1,000 users)
        // that Brotli's fastest level takes to 57 KB: over a real network most of a first paint is
        // those bytes. Only text/html: static assets come precompressed from MapStaticAssets, and the
        // circuit's own traffic has its WebSocket compression.
        // BREACH (a secret guessed from compressed sizes over HTTPS, with input the attacker reflects
        // into the page, as ?q= is): compressing is a deliberate choice. The page's only secrets, the
        // antiforgery token and the circuit's component state and descriptors, are Data Protection
        // ciphertexts with a fresh IV in every response, so no two responses share bytes to guess; a
        // secret sent in the clear must never be added to this page.
        builder.Services.AddResponseCompression(compression =>
        {
            compression.EnableForHttps = true;
            compression.MimeTypes = ["text/html"];
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
        });

        // The page is built per request: the fastest level costs a few ms of CPU and already gets it to a fifth.
        builder.Services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);

        // One tile cache for the app: every board shows the same HTML for the same record.
        builder.Services.AddSingleton<LampTile>();
        builder.Services.AddSingleton<QueueCard>();

        // One arrangement per view and change, whichever boards show that view.
        builder.Services.AddSingleton<BoardArrangements>();

        builder.Services.AddRazorComponents().AddInteractiveServerComponents(circuits =>
            {
                // One network blip or load-balancer reload drops every board of an instance at once;
                // keeping them all (not the default 100) lets each resume its circuit rather than
                // reload its page in one herd. It costs no more than the same boards open.
                circuits.DisconnectedCircuitMaxRetained = MaxRetainedCircuits;

                // A board falling behind (slow screen, bad link) should skip to the newest state, not
                // queue: past this many unacknowledged batches its renders wait, and the changes
                // meanwhile coalesce into one render once it catches up.
                circuits.MaxBufferedUnacknowledgedRenderBatches = 4;

                // The board awaits no answer from the page's script; a call that hangs (a frozen tab)
                // should give its circuit's resources back soon, not after a minute.
                circuits.JSInteropDefaultCallTimeout = TimeSpan.FromSeconds(10);
            })
            .AddHubOptions(hub =>
            {
                // A silent network path shows only as missing pings: the page (board.js) gives up on the
                // server after a few missed ones and marks the board stale, instead of SignalR's 30 s.
                hub.KeepAliveInterval = ServerKeepAliveInterval;

                // A board only sends acknowledgements and small UI events (search, filters): anything
                // bigger than SignalR's 32 KB default is no board's, so say so rather than inherit it.
                hub.MaximumReceiveMessageSize = 32 * 1024;
                hub.AddFilter<CircuitCapFilter>();
            });

        // Every open board holds one upgraded (WebSocket) connection for as long as it is open: a
        // cap here would refuse boards the instance's memory still carries (see the benchmark's
        // boards per instance), so none is set; what bounds an instance is its memory.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxConcurrentUpgradedConnections = null);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<CircuitConnection>();
        builder.Services.AddScoped<ViewUrl>();

        // Caps on open boards, per client address and in all: a page cannot open circuits without end.
        builder.Services.AddOptions<CircuitLimitOptions>()
            .Bind(builder.Configuration.GetSection(CircuitLimitOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CircuitLimitOptions>, CircuitLimitOptionsValidator>();
        builder.Services.AddSingleton<CircuitLimits>();
        builder.Services.AddSingleton<CircuitCapFilter>();
        builder.Services.AddScoped<CircuitHandler>(services => services.GetRequiredService<CircuitConnection>());
        builder.Services.AddHealthChecks().AddCheck<PbxHealthCheck>("pbx");
        return builder;
    }

    public static WebApplication MapBoard(this WebApplication app)
    {
        app.UseRequestLocalization();
        app.Use((context, next) =>
        {
            // The circuit's own requests carry no ?lang: hand the choice on in the culture cookie.
            if (context.Request.Query.ContainsKey("lang") && context.Features.Get<IRequestCultureFeature>() is { Provider: QueryStringRequestCultureProvider } chosen)
            {
                context.Response.Cookies.Append(
                    CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(chosen.RequestCulture),
                    new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = context.Request.IsHttps });
            }

            return next(context);
        });

        app.UseResponseCompression();
        app.UseAntiforgery();
        app.MapStaticAssets();

        // The frame-ancestors policy that compressed circuits need is part of the one policy
        // BoardHeaders sends with every response (the page and the circuit's WebSocket alike), so
        // Blazor must not add a second Content-Security-Policy header of its own.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(server =>
        {
            server.ContentSecurityFrameAncestorsPolicy = null;
            server.ConfigureWebSocketAcceptContext = (_, accept) =>
            {
                // Compressed, but without a compressor kept alive between messages: per open board
                // that state is a few hundred KB, for render batches that are mostly small.
                accept.DangerousEnableCompression = true;
                accept.DisableServerContextTakeover = true;
                return Task.CompletedTask;
            };
        });
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = PbxHealthCheck.WriteResponseAsync });
        return app;
    }
}
