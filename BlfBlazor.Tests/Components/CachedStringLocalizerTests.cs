using System.Globalization;
using BlfBlazor.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace BlfBlazor.Tests.Components;

/// <summary>Texts kept per language still come in each board's own language, with its numbers filled in.</summary>
[Trait("Category", "Unit")]
public sealed class CachedStringLocalizerTests : IDisposable
{
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddLogging()
        .AddLocalization()
        .AddSingleton(typeof(IStringLocalizer<>), typeof(CachedStringLocalizer<>))
        .BuildServiceProvider();

    [Fact]
    public void Each_language_gets_its_own_text_however_often_and_in_whichever_order_it_is_asked()
    {
        var text = _services.GetRequiredService<IStringLocalizer<BoardText>>();
        Assert.IsType<CachedStringLocalizer<BoardText>>(text);

        Assert.Equal("Busy", In("en", () => text["StateBusy"]));
        Assert.Equal("Besetzt", In("de", () => text["StateBusy"]));
        Assert.Equal("Busy", In("en", () => text["StateBusy"]));
        Assert.Equal("3 busy", In("en", () => text["CountBusy", 3]));
        Assert.Equal("3 besetzt", In("de", () => text["CountBusy", 3]));
        Assert.True(In<LocalizedString>("en", () => text["NoSuchText"]).ResourceNotFound);
    }

    [Fact]
    public void Texts_asked_for_in_one_language_are_in_that_language_whatever_the_thread_speaks()
    {
        var german = CultureTexts<BoardText>.In(CultureInfo.GetCultureInfo("de"));

        Assert.Equal("Besetzt", In("en", () => german["StateBusy"]));
        Assert.Equal("3 besetzt", In("en", () => german["CountBusy", 3]));
        Assert.Equal("Busy", In("de", () => CultureTexts<BoardText>.In(CultureInfo.GetCultureInfo("en"))["StateBusy"]));
        Assert.Same(german, CultureTexts<BoardText>.In(CultureInfo.GetCultureInfo("de")));
    }

    private static string In(string culture, Func<LocalizedString> read) => In(culture, () => read().Value);

    private static T In<T>(string culture, Func<T> read)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        return read();
    }

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
        _services.Dispose();
    }
}
