using System.Text.Json;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>An RCC Initialize that a session received: its src is echoed in every UserInfo that follows.</summary>
internal sealed record RccSubscription(JsonElement? Src);
