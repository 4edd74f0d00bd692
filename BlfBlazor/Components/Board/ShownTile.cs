using BlfBlazor.State;
using Microsoft.AspNetCore.Components;

namespace BlfBlazor.Components.Board;

/// <summary>A tile as one board shows it: the record and its HTML.</summary>
public readonly record struct ShownTile(PbxUser User, MarkupString Html);
