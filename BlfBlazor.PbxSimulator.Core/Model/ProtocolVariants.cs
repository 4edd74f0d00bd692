namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// The simulator's answers to what CALLS.md §6 and PBXAPIS.md §8 leave unknown about calls, presence,
/// the user table and forwarding: each switch
/// picks one plausible PBX, so a client can be tested against all of them. Immutable: a running
/// PBX swaps the whole set (<c>SimulatedPbx.Variants</c>), so no frame is built from half of a change.
/// Bound from "Simulator:Variants".
/// </summary>
/// <remarks>
/// In the model, not in Protocol: some switches change what the PBX does (a transfer's conf, a pickup,
/// click-to-call, presence monitors down), and the model's <c>Variants</c> holds the set for everyone.
/// </remarks>
public sealed record ProtocolVariants
{
    /// <summary>Where the set is configured; run-time and start-up errors name it alike.</summary>
    internal const string SettingsKey = "Simulator:Variants";

    /// <summary>How the last CallInfo of a leg says so (§2.5).</summary>
    public CallEndForm EndForm { get; init; } = CallEndForm.Both;

    /// <summary>The name of the whole-PBX feed's leg removal (§2.7).</summary>
    public CallDeleteName DeleteName { get; init; } = CallDeleteName.CallDel;

    /// <summary>Whether CallInfo carries <c>time</c> (13r3+).</summary>
    public bool SendTime { get; init; } = true;

    /// <summary>Whether calls already up are reported after UserInitialize (CallInfo) and after calls:true (CallAdd).</summary>
    public bool ReplayCalls { get; init; } = true;

    /// <summary>The order of SubscribePresenceResult, PresenceState and the first PresenceUpdate.</summary>
    public PresenceAnswerOrder PresenceOrder { get; init; } = PresenceAnswerOrder.ResultStateUpdate;

    /// <summary>Which presence monitors the PBX reports as down (<c>up:false</c>, no PresenceUpdate).</summary>
    public PresenceDownShare PresenceDown { get; init; } = PresenceDownShare.None;

    /// <summary>What the PBX answers to PbxApi when the App object lacks the right.</summary>
    public PbxApiRefusal PbxApiRefused { get; init; } = PbxApiRefusal.None;

    /// <summary>After an attended transfer the target's leg keeps its own <c>conf</c> (else it takes the transferred call's).</summary>
    public bool KeepConfOnTransfer { get; init; }

    /// <summary>A picked-up call arrives connected at the picker (else it alerts there first).</summary>
    public bool PickupConnected { get; init; }

    /// <summary>How UserInitialize for a cn the PBX does not know fails.</summary>
    public UserInitializeFailure UnknownUser { get; init; } = UserInitializeFailure.WithoutUser;

    /// <summary>The operator's phone on UserCall (§4.2): an innovaphone phone dials itself, another the PBX rings first.</summary>
    public ClickToCallPhone PhoneMode { get; init; } = ClickToCallPhone.Innovaphone;

    /// <summary>
    /// Whether call-level requests may name a <c>call</c> this connection was never told about in a
    /// CallInfo (a handle seen elsewhere, a CallAdd's). Leg ids are PBX-wide here, so only this check tells them apart.
    /// </summary>
    public bool AcceptForeignHandles { get; init; } = true;

    /// <summary>Makes every operator action (UserCall … UserClear) fail in this shape, changing nothing; None: actions work.</summary>
    public ActionFailure FailAction { get; init; } = ActionFailure.None;

    /// <summary>How the user table's paging says it is done (PBXAPIS.md §1.2).</summary>
    public TablePageEnd PageEnd { get; init; } = TablePageEnd.NoColumns;

    /// <summary>Whether table rows also carry columns nobody asked for: pwd, devices, emails… with fake values (§1.4).</summary>
    public bool ExtraColumns { get; init; }

    /// <summary>What the PBX answers to PbxTableUsers when the App object lacks the TableUsers right (§1.7).</summary>
    public TableUsersRefusal TableUsersRefused { get; init; } = TableUsersRefusal.None;

    /// <summary>How an object's <c>pseudo</c> is written, in RCC's UserInfo and in the user table (§2).</summary>
    public PseudoForm PseudoForm { get; init; } = PseudoForm.Word;

    /// <summary>How a successful SetPresenceResult looks (§3.1).</summary>
    public SetPresenceSuccess SetPresenceOk { get; init; } = SetPresenceSuccess.NoError;

    /// <summary>Whether a presence set to what it already was is still followed by a PresenceUpdate (§3.1).</summary>
    public bool SetPresenceEcho { get; init; } = true;

    /// <summary>The firmware: 13r1 knows no AddDiversion, DelDiversion or GetDiversion (§3.2).</summary>
    public PbxVersion PbxVersion { get; init; } = PbxVersion.V14r1;

    /// <summary>What the PBX does with a request it does not know, after the login (§3.4).</summary>
    public UnknownMtAnswer UnknownMt { get; init; } = UnknownMtAnswer.Silence;

    /// <summary>What AddDiversion does when the user already has a diversion of that type (§3.2).</summary>
    public AddDiversionMode AddDiversionMode { get; init; } = AddDiversionMode.Replace;

    /// <summary>What happens to a call for a user whose presence is do-not-disturb (§3.1).</summary>
    public DndCallHandling DndCalls { get; init; } = DndCallHandling.Reject;

    /// <summary>Which <c>no</c> entries name the diverting users on the leg a diverted call rings (§4).</summary>
    public DivertNoEntries DivertNo { get; init; } = DivertNoEntries.Leg2AndOrig;

    /// <summary>Whether a user who diverts a call always or when busy gets a brief leg that ends at once (§4).</summary>
    public bool CfuLegAtDiverter { get; init; }

    /// <summary>The cause on a ringing leg ended because the call went elsewhere: a pickup, a diversion on no answer (§8.12).</summary>
    public ElsewhereCause ElsewhereCause { get; init; } = ElsewhereCause.Cause26;

    /// <summary>Whether a call that broke through the forwarding (UserRedirect, ftyNoCF) still diverts on no answer (§4).</summary>
    public BreakThroughCfnr NoCfCfnr { get; init; } = BreakThroughCfnr.Applies;

    /// <summary>Whether RCC lists a waiting queue in its user list (UserInfo); the user table always does (PBXAPIS.md §5.2).</summary>
    public bool QueueInUserInfo { get; init; } = true;

    /// <summary>How a caller waiting at a queue shows on the queue's leg: still alerting, or connected to an announcement (§5.3).</summary>
    public QueueWaitForm QueueWaitForm { get; init; } = QueueWaitForm.Alerting;

    /// <summary>Whether the queue's leg of a waiting caller carries the waiting bit (+1024) in its state (§5.3).</summary>
    public bool QueueWaitingBit { get; init; }

    /// <summary>Whether the queue's handle also reports legs toward the agents a caller rings at (§5.4).</summary>
    public QueueAgentLegs QueueAgentLegs { get; init; } = QueueAgentLegs.Hidden;

    /// <summary>How the queue's leg ends when an agent answers (§5.5).</summary>
    public QueueAnswerEnd QueueAnswerEnd { get; init; } = QueueAnswerEnd.Del;

    /// <summary>How a caller moves on when a queue's cfnr sends it to the destination after the no-answer time (§5.5).</summary>
    public QueueOverflow QueueOverflow { get; init; } = QueueOverflow.Diverted;

    /// <summary>A caller taken from a queue while hearing the announcement arrives connected at the picker (else it alerts there first, §5.6).</summary>
    public bool QueuePickupConnected { get; init; }

    /// <summary>Adds a message per undefined value (or for a missing set) to <paramref name="failures"/>; checked at start and at run time.</summary>
    internal static void Validate(ProtocolVariants? variants, List<string> failures)
    {
        if (variants is null)
        {
            failures.Add($"{SettingsKey} must not be null.");
            return;
        }

        Check(variants.EndForm, nameof(variants.EndForm));
        Check(variants.DeleteName, nameof(variants.DeleteName));
        Check(variants.PresenceOrder, nameof(variants.PresenceOrder));
        Check(variants.PresenceDown, nameof(variants.PresenceDown));
        Check(variants.PbxApiRefused, nameof(variants.PbxApiRefused));
        Check(variants.UnknownUser, nameof(variants.UnknownUser));
        Check(variants.PhoneMode, nameof(variants.PhoneMode));
        Check(variants.FailAction, nameof(variants.FailAction));
        Check(variants.PageEnd, nameof(variants.PageEnd));
        Check(variants.TableUsersRefused, nameof(variants.TableUsersRefused));
        Check(variants.PseudoForm, nameof(variants.PseudoForm));
        Check(variants.SetPresenceOk, nameof(variants.SetPresenceOk));
        Check(variants.PbxVersion, nameof(variants.PbxVersion));
        Check(variants.UnknownMt, nameof(variants.UnknownMt));
        Check(variants.AddDiversionMode, nameof(variants.AddDiversionMode));
        Check(variants.DndCalls, nameof(variants.DndCalls));
        Check(variants.DivertNo, nameof(variants.DivertNo));
        Check(variants.ElsewhereCause, nameof(variants.ElsewhereCause));
        Check(variants.NoCfCfnr, nameof(variants.NoCfCfnr));
        Check(variants.QueueWaitForm, nameof(variants.QueueWaitForm));
        Check(variants.QueueAgentLegs, nameof(variants.QueueAgentLegs));
        Check(variants.QueueAnswerEnd, nameof(variants.QueueAnswerEnd));
        Check(variants.QueueOverflow, nameof(variants.QueueOverflow));

        void Check<T>(T value, string name)
            where T : struct, Enum
        {
            if (!Enum.IsDefined(value))
            {
                failures.Add($"{SettingsKey}:{name} must be one of {string.Join(", ", Enum.GetNames<T>())} (was {value}).");
            }
        }
    }
}

/// <summary>The end of a leg: <c>msg:"del"</c>, <c>del:true</c> (with the last msg repeated), or both.</summary>
public enum CallEndForm
{
    Both,
    Msg,
    Bool,
}

public enum CallDeleteName
{
    CallDel,
    CallDelete,
}

/// <summary>The order of the three presence answers, by their initials (Result, State, Update); or a random one per subscription.</summary>
public enum PresenceAnswerOrder
{
    ResultStateUpdate,
    ResultUpdateState,
    StateResultUpdate,
    StateUpdateResult,
    UpdateResultState,
    UpdateStateResult,

    /// <summary>Result and Update only: a PBX that never sends PresenceState.</summary>
    ResultUpdateWithoutState,

    /// <summary>One of the six orders, drawn per subscription (from the seed when one is set).</summary>
    Shuffled,
}

public enum PresenceDownShare
{
    None,

    /// <summary>Every third user (by position in the user list, starting with the first).</summary>
    Some,
    All,
}

public enum PbxApiRefusal
{
    /// <summary>PbxApi is granted.</summary>
    None,

    /// <summary>No answer at all to PbxApi requests.</summary>
    Silence,

    /// <summary>Each request is answered with its result carrying <c>error</c> and <c>errorText</c>.</summary>
    Error,
}

public enum UserInitializeFailure
{
    /// <summary>UserInitializeResult without <c>user</c>.</summary>
    WithoutUser,

    /// <summary>UserInitializeResult with <c>user:0</c> (as SOAP does).</summary>
    UserZero,
}

public enum ClickToCallPhone
{
    /// <summary>The phone dials hands-free: the leg goes 1 x-setup, 4 r-alert, 5 r-conn.</summary>
    Innovaphone,

    /// <summary>The PBX rings the phone first (129 r-setup, 132 x-alert, 133 x-conn), then the destination on the same leg (133 r-conn).</summary>
    ThirdParty,

    /// <summary>The PBX rings the phone first and nobody takes it: 129 r-setup, 132 x-alert, then 134 r-rel (cause 19) and the end; the destination is never called.</summary>
    ThirdPartyNotTaken,
}

/// <summary>How a forced failure of an operator action looks (CALLS.md §6.10).</summary>
public enum ActionFailure
{
    /// <summary>No forced failure: actions the PBX can do succeed, the others fail as a PBX would.</summary>
    None,

    /// <summary>The Result says nothing: <c>call:0</c> where it carries a call, otherwise bare.</summary>
    CallZero,

    /// <summary>The Result carries <c>error</c> and <c>errorText</c>.</summary>
    Error,

    /// <summary>No answer at all.</summary>
    Silence,
}

/// <summary>The last ReplicateNextResult: without <c>columns</c>, or with <c>columns:{}</c>.</summary>
public enum TablePageEnd
{
    NoColumns,
    EmptyColumns,
}

public enum TableUsersRefusal
{
    /// <summary>TableUsers is granted.</summary>
    None,

    /// <summary>No answer at all to PbxTableUsers requests.</summary>
    Silence,

    /// <summary>ReplicateStartResult carries <c>error</c> and <c>errorText</c>, and nothing follows.</summary>
    Error,

    /// <summary>The replication starts but the table is empty: no rows, no live changes.</summary>
    Empty,
}

/// <summary>How an object's type is written: the word (<c>waiting</c>), config XML (<c>&lt;pseudo type="waiting"/&gt;</c>), or the word in RCC and XML in the table.</summary>
public enum PseudoForm
{
    Word,
    Xml,
    Mixed,
}

public enum SetPresenceSuccess
{
    /// <summary>SetPresenceResult without <c>error</c>.</summary>
    NoError,

    /// <summary>SetPresenceResult with <c>error:0</c>.</summary>
    ErrorZero,
}

public enum PbxVersion
{
    /// <summary>No AddDiversion, DelDiversion or GetDiversion: they meet <see cref="ProtocolVariants.UnknownMt"/>.</summary>
    V13r1,
    V14r1,
}

public enum UnknownMtAnswer
{
    /// <summary>No answer.</summary>
    Silence,

    /// <summary><c>&lt;mt&gt;Result</c> with <c>error</c> and <c>errorText</c>.</summary>
    Error,

    /// <summary>The PBX closes the WebSocket.</summary>
    Close,
}

public enum AddDiversionMode
{
    /// <summary>The new entry takes the place of the user's unconditional entries of that type.</summary>
    Replace,

    /// <summary>The new entry goes after the user's entries.</summary>
    Append,
}

public enum DndCallHandling
{
    /// <summary>The call is refused: the caller hears busy (cause 17), the user's phone does not ring.</summary>
    Reject,

    /// <summary>Do-not-disturb counts as busy: the call goes to the user's cfb destination, else it is refused.</summary>
    Cfb,

    /// <summary>Do-not-disturb does not touch calls.</summary>
    Ring,
}

public enum DivertNoEntries
{
    /// <summary><c>leg2</c>: the last diverting user.</summary>
    Leg2,

    /// <summary><c>leg2</c>, then <c>leg2orig</c>: the first diverting user.</summary>
    Leg2AndOrig,

    /// <summary>No entries.</summary>
    None,
}

public enum ElsewhereCause
{
    /// <summary>134 r-rel with cause 26, "Non-selected user clearing".</summary>
    Cause26,

    /// <summary>134 r-rel without <c>info</c>.</summary>
    None,
}

public enum BreakThroughCfnr
{
    /// <summary>A call put through past the forwarding still goes to the cfnr destination when not answered in time.</summary>
    Applies,

    /// <summary>It rings at the desk until answered or given up.</summary>
    Ignored,
}

public enum QueueWaitForm
{
    /// <summary>The queue's leg stays alerting (132 x-alert) while the caller waits.</summary>
    Alerting,

    /// <summary>The queue's leg is connected (133 x-conn): the caller hears an announcement, not an answer.</summary>
    Announcement,
}

public enum QueueAgentLegs
{
    /// <summary>The queue's handle reports only the callers' legs.</summary>
    Hidden,

    /// <summary>The queue's handle also reports a leg toward each agent rung (1 x-setup, 4 r-alert, peer the agent).</summary>
    Shown,
}

public enum QueueOverflow
{
    /// <summary>Like a user's cfnr: the queue's leg ends with 134 r-rel (ElsewhereCause), the destination's leg names the queue (DivertNo).</summary>
    Diverted,

    /// <summary>The queue's leg ends with a plain del and the destination's leg names nobody: it looks like a new call.</summary>
    Unmarked,
}

public enum QueueAnswerEnd
{
    /// <summary>The queue's leg ends with a plain del.</summary>
    Del,

    /// <summary>134 r-rel with cause 26, then del.</summary>
    Cause26,

    /// <summary>133 r-conn with the answering agent as peer, then del.</summary>
    PeerAgent,
}
