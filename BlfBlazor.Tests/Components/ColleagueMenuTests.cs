using System.Globalization;
using BlfBlazor.Components.Board;
using BlfBlazor.Operators;
using BlfBlazor.State;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Components;

/// <summary>
/// The presence and forwarding menus a tile opens on an operator's board: their markup (the public contract's
/// test ids and attributes), what they start from, and the one action each choice makes.
/// </summary>
[Trait("Category", "Component")]
public sealed class ColleagueMenuTests : BunitContext
{
    private readonly List<OperatorAction> _acted = [];
    private int _closed;

    public ColleagueMenuTests()
    {
        Services.AddLocalization();
    }

    private static PbxUser Anna => new("g-anna", "anna", "Anna Berger", "101", "anna", null, null, 1, 0, 0);

    private static PbxUser Carol => new("g-carol", "carol", "Carol Clark", "103", "carol", null, null, 1, 0, 0);

    [Fact]
    public void The_presence_menu_is_a_labelled_dialog_with_five_activities_a_bounded_note_and_set()
    {
        var menu = PresenceMenu(Anna with { Activity = new UserActivity([], new UserPresence("away", "back at 14:00")) });

        var dialog = menu.Find("[data-testid=blf-presence-menu]");
        Assert.Equal("dialog", dialog.GetAttribute("role"));
        Assert.Equal("Presence of Anna Berger", menu.Find("#" + dialog.GetAttribute("aria-labelledby")).TextContent);
        Assert.True(dialog.HasAttribute("data-menu"));
        var options = menu.FindAll("[data-testid=blf-presence-option]");
        Assert.Equal(["available", "away", "busy", "lunch", "dnd"], options.Select(o => o.GetAttribute("data-activity")));
        Assert.Equal(["Available", "Away", "Busy (presence)", "At lunch", "Do not disturb"], options.Select(o => o.TextContent.Trim()));
        Assert.All(options, o => Assert.Equal("button", o.GetAttribute("type")));

        // It starts from what the colleague shows now, and board.js focuses that choice first.
        Assert.Equal(["false", "true", "false", "false", "false"], options.Select(o => o.GetAttribute("aria-pressed")));
        Assert.Equal("away", menu.Find("[data-menu-start]").GetAttribute("data-activity"));
        var note = menu.Find("[data-testid=blf-presence-note]");
        Assert.Equal("100", note.GetAttribute("maxlength"));
        Assert.Equal("back at 14:00", note.GetAttribute("value"));
        Assert.NotNull(note.Closest("label"));
        Assert.Equal("submit", menu.Find("[data-testid=blf-presence-set]").GetAttribute("type"));
        Assert.True(menu.Find("[data-testid=blf-menu-close]").HasAttribute("data-menu-close"));
    }

    [Fact]
    public void Choosing_an_activity_and_a_note_then_set_makes_one_SetPresence()
    {
        var menu = PresenceMenu(Anna);
        Assert.Equal("available", menu.Find("[aria-pressed=true]").GetAttribute("data-activity"));

        menu.Find("[data-activity=lunch]").Click();
        menu.Find("[data-testid=blf-presence-note]").Input("  back at 14:00 ");
        Assert.Empty(_acted);
        menu.Find("form").Submit();

        Assert.Equal(new OperatorAction(ActionKind.SetPresence, "g-anna", Activity: "lunch", Note: "back at 14:00"), Assert.Single(_acted));
    }

    [Fact]
    public void Clear_sets_available_without_a_note_and_close_closes()
    {
        var menu = PresenceMenu(Anna with { Activity = new UserActivity([], new UserPresence("dnd", "in a meeting")) });

        menu.Find("[data-testid=blf-presence-clear]").Click();
        menu.Find("[data-testid=blf-menu-close]").Click();

        Assert.Equal(new OperatorAction(ActionKind.SetPresence, "g-anna", Activity: "available", Note: string.Empty), Assert.Single(_acted));
        Assert.Equal(1, _closed);
    }

    [Fact]
    public void The_presence_menu_reads_in_german()
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de");
        try
        {
            var menu = PresenceMenu(Anna);

            Assert.Equal("Präsenz von Anna Berger", menu.Find("#blf-presence-title").TextContent);
            Assert.Equal("Präsenz setzen", menu.Find("[data-testid=blf-presence-set]").TextContent);
            Assert.Equal("Nicht stören", menu.Find("[data-activity=dnd]").TextContent.Trim());
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void The_forwarding_menu_lists_each_forwarding_with_its_own_clear_and_clearing_one_names_its_kind()
    {
        var menu = ForwardMenu(Anna with
        {
            Forwarding = [new Diversion(DiversionKind.Always, null, "0171 2345678", true, false), new Diversion(DiversionKind.NoAnswer, "g-carol", "Carol Clark", false, true)],
        });

        Assert.Equal("dialog", menu.Find("[data-testid=blf-forward-menu]").GetAttribute("role"));
        var current = menu.FindAll("[data-testid=blf-forward-current]");
        Assert.Equal(["always", "no-answer"], current.Select(c => c.GetAttribute("data-forward-type")));
        Assert.Contains("unanswered, Anna Berger's calls go to Carol Clark (only under a condition)", current[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("Clear this forwarding: Anna Berger's calls go to 0171 2345678", menu.FindAll("[data-testid=blf-forward-clear]")[0].GetAttribute("aria-label"));

        menu.FindAll("[data-testid=blf-forward-clear]")[1].Click();

        Assert.Equal(new OperatorAction(ActionKind.ClearForwarding, "g-anna", Diversion: DiversionKind.NoAnswer), Assert.Single(_acted));
    }

    [Fact]
    public void A_colleagues_name_goes_as_that_colleague_anything_else_as_a_number_for_the_server_to_check()
    {
        var menu = ForwardMenu(Anna);
        Assert.Single(menu.FindAll("[data-testid=blf-forward-none]"));
        Assert.Equal(["Carol Clark"], menu.FindAll("datalist option").Select(o => o.GetAttribute("value")));

        menu.Find("[data-testid=blf-forward-type]").Change(DiversionKind.Busy.ToString());
        menu.Find("[data-testid=blf-forward-to]").Input("carol clark");
        menu.Find("form").Submit();
        menu.Find("[data-testid=blf-forward-to]").Input("0171 2345678");
        menu.Find("form").Submit();

        Assert.Equal(
            [
                new OperatorAction(ActionKind.SetForwarding, "g-anna", Diversion: DiversionKind.Busy, DestinationGuid: "g-carol"),
                new OperatorAction(ActionKind.SetForwarding, "g-anna", Number: "0171 2345678", Diversion: DiversionKind.Busy),
            ],
            _acted);
    }

    private IRenderedComponent<PresenceMenu> PresenceMenu(PbxUser colleague) =>
        Render<PresenceMenu>(p => p
            .Add(m => m.Colleague, colleague)
            .Add(m => m.OnAct, action => _acted.Add(action))
            .Add(m => m.OnClose, () => _closed++));

    private IRenderedComponent<ForwardMenu> ForwardMenu(PbxUser colleague) =>
        Render<ForwardMenu>(p => p
            .Add(m => m.Colleague, colleague)
            .Add(m => m.Colleagues, [colleague, Carol])
            .Add(m => m.OnAct, action => _acted.Add(action))
            .Add(m => m.OnClose, () => _closed++));
}
