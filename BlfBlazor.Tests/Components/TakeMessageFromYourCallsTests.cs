using BlfBlazor.Components.Board;
using BlfBlazor.Operators;
using BlfBlazor.State;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Components;

/// <summary>"Take a message" from the caller on the line: Your calls opens the dialog with who called, and the dialog sends what was typed.</summary>
[Trait("Category", "Component")]
public sealed class TakeMessageFromYourCallsTests : BunitContext
{
    private static readonly CallPeer s_caller = new(null, "0711 4711", IsInternal: false);

    public TakeMessageFromYourCallsTests() => Services.AddLocalization();

    [Fact]
    public void Your_calls_offers_taking_a_message_from_each_caller_and_passes_who_called()
    {
        CallPeer? opened = null;
        var phone = new OperatorPhone("olivia", Ready: true, [new OperatorCall(7, new CallLeg(1, CallDirection.In, CallPhase.Talking, s_caller, CallVia.None, null, 0), HeldByOperator: false)], null);
        var panel = Render<OperatorPanel>(p => p
            .Add(x => x.Operator, new Operator("olivia", "Olivia Operator", "olivia"))
            .Add(x => x.Phone, phone)
            .Add(x => x.OnTakeMessage, EventCallback.Factory.Create<CallPeer?>(this, caller => opened = caller)));

        var button = panel.Find("[data-testid=blf-operator-call] [data-testid=blf-action-take-message]");
        Assert.Equal("Take a message from 0711 4711", button.GetAttribute("aria-label"));
        button.Click();

        Assert.Equal(s_caller, opened);
        Assert.NotNull(panel.Find("[data-testid=blf-action-message]"));
    }

    [Fact]
    public void The_dialog_from_a_call_starts_with_the_caller_and_sends_the_colleague_chosen_by_name()
    {
        OperatorAction? sent = null;
        var anna = new PbxUser("g-anna", "anna", "Anna Berger", "101", "anna", null, null, 1, 0, 0);
        var menu = Render<MessageMenu>(p => p
            .Add(x => x.Colleagues, [anna])
            .Add(x => x.Draft, new MessageDraft(null, s_caller))
            .Add(x => x.OnAct, EventCallback.Factory.Create<OperatorAction>(this, action => sent = action)));

        Assert.Equal("0711 4711", menu.Find("[data-testid=blf-message-number]").GetAttribute("value"));
        menu.Find("[data-testid=blf-message-for]").Input("anna berger");
        menu.Find("[data-testid=blf-message-note]").Input("About the invoice");
        menu.Find("[data-testid=blf-message-urgent]").Change(true);
        menu.Find("form").Submit();

        Assert.Equal(new OperatorAction(ActionKind.TakeMessage, "g-anna", Number: "0711 4711", Note: "About the invoice", CallerName: "", Urgent: true), sent);
    }
}
