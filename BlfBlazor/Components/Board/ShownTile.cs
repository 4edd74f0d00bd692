using BlfBlazor.State;
using Microsoft.AspNetCore.Components;

namespace BlfBlazor.Components.Board;

/// <summary>A tile as one board shows it: the record, whether it was shown stale, and its HTML.</summary>
public readonly record struct ShownTile(PbxUser User, bool Stale, MarkupString Html);
