namespace BlfBlazor.Pbx.Rcc;

/// <summary>
/// Call control from outside the PBX room (the operators' desk): it holds RCC handles and sends
/// requests of its own on the live connection, and takes the answers that carry its <c>src</c>.
/// Registered in the container, so the connection finds it without knowing what it is.
/// </summary>
internal interface IRccCallControl
{
    /// <summary>A logged-in connection offers its sender; the returned link lives as long as that connection.</summary>
    IRccCallControlLink Attach(PbxSend send);
}

/// <summary>What one connection sees of a call control; disposing it tells the control the connection is gone.</summary>
internal interface IRccCallControlLink : IDisposable
{
    /// <summary>True for a <c>src</c> of this control's requests.</summary>
    bool Owns(string src);

    /// <summary>Sends what the control needs on a new connection (its handles), after the user list was asked for.</summary>
    ValueTask StartAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The connection's initial user list is complete: the control may now ask what it needs of a live PBX
    /// (the desk learns whether diversions can be set). Must not wait for an answer: answers arrive on the
    /// loop that calls this.
    /// </summary>
    ValueTask LiveAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Takes a message of this control's (an answer, or a <c>CallInfo</c> on one of its handles); false when it is not.</summary>
    bool TryHandle(in PbxMessage message);
}
