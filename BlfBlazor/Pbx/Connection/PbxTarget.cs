namespace BlfBlazor.Pbx.Connection;

/// <summary>Where to connect and how to log in. Holds the secret: never log or render it.</summary>
internal sealed class PbxTarget(Uri url, string app, string secret, string? domain)
{
    public Uri Url { get; } = url;

    public string App { get; } = app;

    public string Secret { get; } = secret;

    public string? Domain { get; } = domain;

    /// <summary>Deliberately without the secret.</summary>
    public override string ToString() => $"{Url} as app '{App}'";
}

/// <summary>Finds the PBX to connect to: the configured one, or (in the demo) a simulated one.</summary>
internal interface IPbxTargetSource
{
    ValueTask<PbxTarget> GetTargetAsync(CancellationToken cancellationToken);

    /// <summary>The standby PBX (<c>Pbx:StandbyUrl</c>), or null when there is none.</summary>
    PbxTarget? Standby => null;
}

/// <summary>The PBX from configuration (<c>Pbx:Url</c>, <c>Pbx:App</c>, <c>Pbx:Secret</c>).</summary>
internal sealed class ConfiguredPbx(Microsoft.Extensions.Options.IOptions<PbxOptions> options) : IPbxTargetSource
{
    /// <summary>How the board names the configured PBX: its host.</summary>
    public static BlfBlazor.State.PbxDescription Describe(PbxOptions options) =>
        new(PbxAddress.TryParse(options.Url, out var url) ? url.Host : options.Url ?? string.Empty, IsDemo: false, options.App ?? string.Empty,
            Unencrypted: IsUnencrypted(options.Url) || IsUnencrypted(options.StandbyUrl));

    private static bool IsUnencrypted(string? address) =>
        PbxAddress.TryParse(address, out var url) && url.Scheme == Uri.UriSchemeWs;

    /// <summary>Logs in exactly like at the master: an innovaphone standby carries the same App object.</summary>
    public PbxTarget? Standby
    {
        get
        {
            var value = options.Value;
            return PbxAddress.TryParse(value.StandbyUrl, out var url) ? new PbxTarget(url, value.App!, value.Secret!, value.Domain) : null;
        }
    }

    public ValueTask<PbxTarget> GetTargetAsync(CancellationToken cancellationToken)
    {
        var value = options.Value;

        // Validated at start-up, so this only fails if the options were changed behind our back.
        if (!PbxAddress.TryParse(value.Url, out var url))
        {
            throw new InvalidOperationException($"Pbx:Url '{value.Url}' is not a WebSocket URL.");
        }

        return ValueTask.FromResult(new PbxTarget(url, value.App!, value.Secret!, value.Domain));
    }
}
