namespace BlfBlazor.PbxSimulator.Faults;

/// <summary>How the simulator refuses logins; the real PBX's failure shape is unknown, so each plausible one is offered.</summary>
public enum LoginFault
{
    /// <summary>Check the digest normally.</summary>
    None,

    /// <summary>Refuse every login with {"mt":"AppLoginResult","ok":false,"error":..,"errorText":..}.</summary>
    OkFalse,

    /// <summary>Refuse every login with {"mt":"AppLoginResult"} (no "ok").</summary>
    OmitOk,

    /// <summary>Refuse every login by closing the WebSocket (normal close) instead of answering.</summary>
    CloseSocket,
}
