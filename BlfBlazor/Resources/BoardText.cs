namespace BlfBlazor.Resources;

/// <summary>Marker for the board's texts (BoardText.resx, BoardText.de.resx).</summary>
public sealed class BoardText
{
    private BoardText()
    {
    }
}
