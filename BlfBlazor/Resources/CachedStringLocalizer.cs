using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Localization;

namespace BlfBlazor.Resources;

/// <summary>
/// The texts of <typeparamref name="TResource"/> as <see cref="IStringLocalizerFactory"/> finds them, each
/// looked up once per language and then kept: the texts are fixed for the life of the app.
/// </summary>
/// <remarks>
/// Why: every open board re-renders its header, counts, controls and legend on every change, a few
/// dozen texts per render. Looked up in the resources each time (a lock per lookup), that was a tenth
/// of the app's CPU with hundreds of boards open, much of it waiting for that lock.
/// </remarks>
public sealed class CachedStringLocalizer<TResource> : IStringLocalizer<TResource>
{
    private readonly IStringLocalizer _resources;
    private readonly ConcurrentDictionary<(string Culture, string Name), LocalizedString> _texts = new();

    public CachedStringLocalizer(IStringLocalizerFactory factory) => _resources = factory.Create(typeof(TResource));

    public LocalizedString this[string name] =>
        _texts.GetOrAdd((CultureInfo.CurrentUICulture.Name, name), static (_, state) => state.Resources[state.Name], (Resources: _resources, Name: name));

    /// <summary>The text with its placeholders filled in the current culture, as the resources' own localizer does.</summary>
    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var format = this[name];
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, format.Value, arguments), format.ResourceNotFound, format.SearchedLocation);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => _resources.GetAllStrings(includeParentCultures);
}
