using Microsoft.Extensions.Options;

namespace BlfBlazor.Pbx;

/// <summary>
/// Stops start-up with a message that names the wrong key, instead of a board that never goes live.
/// </summary>
/// <param name="configuration">For <see cref="DemoKey"/>, which belongs to no options class of the PBX's.</param>
internal sealed class PbxOptionsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<PbxOptions>
{
    /// <summary>Runs the built-in demo PBX in Production on purpose.</summary>
    public const string DemoKey = "Blf:Demo";

    public ValidateOptionsResult Validate(string? name, PbxOptions options)
    {
        var failures = new List<string>();

        // A password in the URL would be logged with every connection attempt and shown by /healthz.
        if (HasCredentials(options.Url) || HasCredentials(options.StandbyUrl))
        {
            failures.Add($"{(HasCredentials(options.Url) ? "Pbx:Url" : "Pbx:StandbyUrl")} must not carry a user name or password (user:password@host): give the App object's name in Pbx:App and its password in Pbx:Secret (the environment variable Pbx__Secret).");
        }
        else if (options.IsDemo && environment.IsProduction() && !configuration.GetValue<bool>(DemoKey))
        {
            failures.Add($"Pbx:Url is required in Production: without it the board shows the built-in demo PBX's made-up people. Set Pbx:Url, Pbx:App and Pbx:Secret, or {DemoKey}=true to run the demo on purpose.");
        }
        else if (!options.IsDemo)
        {
            if (!PbxAddress.TryParse(options.Url, out _))
            {
                failures.Add($"Pbx:Url '{options.Url}' is not a WebSocket URL. Use ws://host/PBX0/APPS/websocket, wss://host/PBX0/APPS/websocket or a bare host name such as pbx.example.com (leave it empty for the demo PBX).");
            }

            if (!string.IsNullOrWhiteSpace(options.StandbyUrl) && !PbxAddress.TryParse(options.StandbyUrl, out _))
            {
                failures.Add($"Pbx:StandbyUrl '{options.StandbyUrl}' is not a WebSocket URL. Use the same forms as Pbx:Url: ws://host/PBX0/APPS/websocket, wss://host/PBX0/APPS/websocket or a bare host name such as standby.example.com (or leave it empty).");
            }

            if (string.IsNullOrWhiteSpace(options.App))
            {
                failures.Add("Pbx:App is required when Pbx:Url is set: the name of the PBX App object the board logs in as.");
            }

            if (string.IsNullOrEmpty(options.Secret))
            {
                failures.Add("Pbx:Secret is required when Pbx:Url is set: the App object's password. Set it in the environment variable Pbx__Secret or with 'dotnet user-secrets set Pbx:Secret ...'.");
            }
        }

        else if (!string.IsNullOrWhiteSpace(options.StandbyUrl))
        {
            failures.Add("Pbx:StandbyUrl needs Pbx:Url: a standby stands in for a configured PBX, not for the demo PBX.");
        }

        if (PbxOptions.NormalizeThumbprint(options.CertificateThumbprint) is { } thumbprint
            && (thumbprint.Length != 64 || !thumbprint.All(Uri.IsHexDigit)))
        {
            failures.Add("Pbx:CertificateThumbprint must be the certificate's SHA-256 thumbprint: 64 hex digits (colons and spaces are allowed).");
        }

        if (options.MaxFrameBytes is < 4096 or > 64 * 1024 * 1024)
        {
            failures.Add($"Pbx:MaxFrameBytes must be between 4096 and 67108864 (it is {options.MaxFrameBytes}).");
        }

        if (options.MaxMonitoredUsers is < 0 or > 100_000)
        {
            failures.Add($"Pbx:MaxMonitoredUsers must be between 0 and 100000 (it is {options.MaxMonitoredUsers}).");
        }

        if (options.MaxPresenceSubscriptions is < 0 or > 100_000)
        {
            failures.Add($"Pbx:MaxPresenceSubscriptions must be between 0 and 100000 (it is {options.MaxPresenceSubscriptions}).");
        }

        if (options.PresenceAnswerTimeout <= TimeSpan.Zero)
        {
            failures.Add("Pbx:PresenceAnswerTimeout must be positive.");
        }

        if (options.KeepAliveInterval <= TimeSpan.Zero)
        {
            failures.Add("Pbx:KeepAliveInterval must be positive.");
        }

        if (options.KeepAliveTimeout <= TimeSpan.Zero)
        {
            failures.Add("Pbx:KeepAliveTimeout must be positive.");
        }

        if (options.ActionTimeout <= TimeSpan.Zero)
        {
            failures.Add("Pbx:ActionTimeout must be positive.");
        }

        if (options.OperatorHandleLinger < TimeSpan.Zero)
        {
            failures.Add("Pbx:OperatorHandleLinger must not be negative.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            failures.Add("Pbx:ConnectTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool HasCredentials(string? url) => url?.Contains('@', StringComparison.Ordinal) == true;
}
