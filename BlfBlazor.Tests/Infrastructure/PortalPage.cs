using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>An intranet portal on its own origin (another loopback port) whose page embeds the board in an iframe.</summary>
public sealed class PortalPage : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PortalPage(WebApplication app, Uri origin)
    {
        _app = app;
        Origin = origin;
    }

    /// <summary>Scheme, host and port, as written in Blf:FrameAncestors.</summary>
    public Uri Origin { get; }

    public string OriginText => Origin.GetLeftPart(UriPartial.Authority);

    /// <summary>Where the board's URL is filled in: <c>/?board=...</c>.</summary>
    public Uri PageFor(Uri board) => new(Origin, $"/?board={Uri.EscapeDataString(board.ToString())}");

    public static async Task<PortalPage> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/", (string board) => Results.Content(
            $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Intranet portal</title>
            <style>body { font-family: sans-serif; background: #e9eef6; margin: 0 } header { padding: 1rem 2rem; background: #23395d; color: #fff }
            main { padding: 1rem 2rem } iframe { width: 100%; height: 420px; border: 1px solid #9aa7bb; border-radius: 6px; background: #fff }</style></head>
            <body><header><h1>Intranet portal</h1></header>
            <main><h2>Who is free?</h2><iframe id="blf" title="Busy lamp field" src="{{WebUtility.HtmlEncode(board)}}"></iframe></main>
            </body></html>
            """,
            "text/html"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PortalPage(app, new Uri(address));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
