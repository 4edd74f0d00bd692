using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Hosting.WindowsServices;
using Microsoft.Extensions.Logging.Console;

namespace BlfBlazor.Hosting;

/// <summary>
/// Running as an installed service: the install folder as content root, the systemd and Windows
/// service lifetimes, and secrets from systemd credentials.
/// </summary>
public static class ServiceHosting
{
    /// <summary>Set by systemd for a unit with <c>LoadCredential=</c>: one file per credential.</summary>
    public const string CredentialsDirectoryVariable = "CREDENTIALS_DIRECTORY";

    /// <summary>Set by systemd for <c>Type=notify</c>: where the app says READY=1.</summary>
    public const string NotifySocketVariable = "NOTIFY_SOCKET";

    /// <summary>
    /// The builder's start options. A service starts in some other working directory (systemd: /,
    /// Windows: System32), and so may an admin running the published build; the install folder is
    /// where appsettings.json and wwwroot are. Built output (<c>dotnet run</c>, tests) keeps the
    /// default: its content root is the project, whose static assets the build's manifest names.
    /// </summary>
    public static WebApplicationOptions BuilderOptions(string[] args) => new()
    {
        Args = args,
        ContentRootPath = RunsAsService() || IsPublished() ? AppContext.BaseDirectory : null,
    };

    /// <summary>
    /// The systemd and Windows service lifetimes when the app runs as such a service, and
    /// key-per-file configuration from systemd's credential directory.
    /// </summary>
    public static WebApplicationBuilder AddServiceHosting(this WebApplicationBuilder builder)
    {
        // Last, so a credential wins over a stray variable: a file named Pbx__Secret sets Pbx:Secret.
        if (Environment.GetEnvironmentVariable(CredentialsDirectoryVariable) is { Length: > 0 } credentials)
        {
            builder.Configuration.AddKeyPerFile(credentials, optional: false);
        }

        if (UnderSystemd())
        {
            // What AddSystemd() registers, but also when the parent process is not systemd itself
            // (a wrapper script, or a test standing in for systemd): NOTIFY_SOCKET is the contract.
            builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();

            // The journal reads levels from <N> prefixes; a configured formatter (json) still wins.
            if (builder.Configuration["Logging:Console:FormatterName"] is null)
            {
                builder.Services.Configure<ConsoleLoggerOptions>(options => options.FormatterName = ConsoleFormatterNames.Systemd);
            }
        }

        builder.Services.AddWindowsService(options => options.ServiceName = "BlfBlazor");
        return builder;
    }

    private static bool UnderSystemd() =>
        SystemdHelpers.IsSystemdService() || Environment.GetEnvironmentVariable(NotifySocketVariable) is { Length: > 0 };

    private static bool RunsAsService() => UnderSystemd() || WindowsServiceHelpers.IsWindowsService();

    /// <summary>Published output has no static web assets manifest: its assets sit in wwwroot.</summary>
    private static bool IsPublished() =>
        !File.Exists(Path.Combine(AppContext.BaseDirectory, $"{typeof(ServiceHosting).Assembly.GetName().Name}.staticwebassets.runtime.json"));
}
