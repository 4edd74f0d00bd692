using System.Collections.Concurrent;
using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;

namespace BlfBlazor.Resources;

/// <summary>
/// The texts of <typeparamref name="TResource"/> in the calling page's language
/// (<see cref="CultureInfo.CurrentUICulture"/>, which request localization sets per circuit): what the
/// container hands a component. Work shared between pages asks for one language with
/// <see cref="CultureTexts{TResource}.In"/> instead, whatever thread it runs on.
/// </summary>
public sealed class CachedStringLocalizer<TResource> : IStringLocalizer<TResource>
{
    public LocalizedString this[string name] => CultureTexts<TResource>.In(CultureInfo.CurrentUICulture)[name];

    /// <summary>The text with its placeholders filled in the current culture, as the resources' own localizer does.</summary>
    public LocalizedString this[string name, params object[] arguments] =>
        CultureTexts<TResource>.Format(this[name], CultureInfo.CurrentCulture, arguments);

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        CultureTexts<TResource>.In(CultureInfo.CurrentUICulture).GetAllStrings(includeParentCultures);
}

/// <summary>
/// The texts of <typeparamref name="TResource"/> (its .resx files) in one language, each looked up once
/// and then kept for the life of the app: the texts are fixed. Passed explicitly to work shared by every
/// page of a language (arranging a view, building tiles), so no thread's culture is swapped for it.
/// </summary>
/// <remarks>
/// Why cached: every open board re-renders its header, counts, controls and legend on every change, a
/// few dozen texts per render. Looked up in the resources each time (a lock per lookup), that was a
/// tenth of the app's CPU with hundreds of boards open, much of it waiting for that lock.
/// </remarks>
public sealed class CultureTexts<TResource> : IStringLocalizer<TResource>
{
    // The resources the SDK embeds for Resources/X.resx beside the class X: named after the class.
    private static readonly ResourceManager s_resources = new(typeof(TResource));
    private static readonly ConcurrentDictionary<(string Culture, string Name), LocalizedString> s_texts = new();
    private static readonly ConcurrentDictionary<string, CultureTexts<TResource>> s_languages = new(StringComparer.Ordinal);

    private CultureTexts(CultureInfo culture) => Culture = culture;

    public CultureInfo Culture { get; }

    public LocalizedString this[string name] =>
        s_texts.GetOrAdd((Culture.Name, name), static (key, culture) =>
        {
            var value = Lookup(key.Name, culture);
            return new LocalizedString(key.Name, value ?? key.Name, resourceNotFound: value is null, searchedLocation: typeof(TResource).FullName);
        }, Culture);

    public LocalizedString this[string name, params object[] arguments] => Format(this[name], Culture, arguments);

    /// <summary>The texts in <paramref name="culture"/>: one instance per language.</summary>
    internal static CultureTexts<TResource> In(CultureInfo culture) =>
        s_languages.GetOrAdd(culture.Name, static (_, culture) => new CultureTexts<TResource>(culture), culture);

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var culture = Culture; ; culture = culture.Parent)
        {
            if (s_resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false) is { } set)
            {
                foreach (System.Collections.DictionaryEntry entry in set)
                {
                    if (entry.Key is string name && entry.Value is string value && names.Add(name))
                    {
                        yield return new LocalizedString(name, value, resourceNotFound: false, typeof(TResource).FullName);
                    }
                }
            }

            if (!includeParentCultures || culture.Equals(CultureInfo.InvariantCulture))
            {
                break;
            }
        }
    }

    internal static LocalizedString Format(LocalizedString format, CultureInfo culture, object[] arguments) =>
        new(format.Name, string.Format(culture, format.Value, arguments), format.ResourceNotFound, format.SearchedLocation);

    private static string? Lookup(string name, CultureInfo culture)
    {
        try
        {
            return s_resources.GetString(name, culture);
        }
        catch (MissingManifestResourceException)
        {
            // A type without texts: every name is missing, as with the framework's localizer.
            return null;
        }
    }
}
