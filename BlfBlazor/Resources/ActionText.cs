namespace BlfBlazor.Resources;

/// <summary>Marker for the texts of operator actions (ActionText.resx, ActionText.de.resx).</summary>
public sealed class ActionText
{
    private ActionText()
    {
    }
}
