using BlfBlazor.Store;
using Microsoft.AspNetCore.DataProtection;

namespace BlfBlazor.Hosting;

public static class KeyRingHostingExtensions
{
    /// <summary>The one application name every instance protects with, whatever folder it runs from.</summary>
    public const string ApplicationName = "BlfBlazor";

    /// <summary>The configuration key of the folder all instances share for their Data Protection keys.</summary>
    public const string KeysPathKey = "DataProtection:KeysPath";

    /// <summary>
    /// The Data Protection key ring. Prerendered component state, a circuit's id and antiforgery
    /// tokens are protected with it, so instances behind one load balancer must share it: the same
    /// application name (the default is the content root, which differs per installation) and, with
    /// <c>DataProtection:KeysPath</c>, one folder of keys (a relative path is under the content root).
    /// </summary>
    public static WebApplicationBuilder AddKeyRing(this WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        if (builder.Configuration[KeysPathKey] is { Length: > 0 } keysPath)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(keysPath, builder.Environment.ContentRootPath)));
        }

        // The store's default file lives beside the keys, in the one folder the app writes.
        var stateFolder = StateFolder(builder.Configuration, builder.Environment);
        builder.Services.Configure<StoreOptions>(options => options.StateFolder = stateFolder);
        return builder;
    }

    /// <summary>
    /// Where the app keeps its state: systemd's <c>STATE_DIRECTORY</c> (<c>/var/lib/blfblazor</c> under the
    /// shipped unit), else the folder above <c>DataProtection:KeysPath</c>, else the app's content root.
    /// </summary>
    public static string StateFolder(IConfiguration configuration, IHostEnvironment environment)
    {
        if (Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } systemd)
        {
            // systemd lists one folder per StateDirectory= entry, separated by ':'.
            return systemd.Split(':')[0];
        }

        if (configuration[KeysPathKey] is { Length: > 0 } keys
            && Path.GetDirectoryName(Path.GetFullPath(keys, environment.ContentRootPath).TrimEnd(Path.DirectorySeparatorChar)) is { } parent)
        {
            return parent;
        }

        return environment.ContentRootPath;
    }
}
