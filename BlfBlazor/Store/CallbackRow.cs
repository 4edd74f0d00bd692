using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlfBlazor.Store;

/// <summary>
/// One message an operator took for a colleague, as stored. Keyed by the board's own id, so saving it
/// again (a retry, a second instance's reload) updates rather than doubles. People are named by their
/// login claim value, never by a display name.
/// </summary>
internal sealed class CallbackRow
{
    public string Id { get; set; } = "";

    public string UserGuid { get; set; } = "";

    public string? CallerName { get; set; }

    /// <summary>Only ever written with <c>Blf:CallDetails=Full</c>.</summary>
    public string? CallerNumber { get; set; }

    public bool CallerInternal { get; set; }

    public string Note { get; set; } = "";

    /// <summary><c>normal</c> or <c>urgent</c>.</summary>
    public string Urgency { get; set; } = "";

    public long AtUnixMs { get; set; }

    public string TakenBy { get; set; } = "";

    public long? DoneAtUnixMs { get; set; }

    public string? DoneBy { get; set; }

    /// <summary>The table as the migration <c>20261207120000_Callbacks</c> creates it.</summary>
    public static void Configure(EntityTypeBuilder<CallbackRow> row)
    {
        row.ToTable("Callbacks");
        row.HasKey(r => r.Id);
        row.Property(r => r.Id).HasMaxLength(BlfStore.GuidLength);
        row.Property(r => r.UserGuid).HasMaxLength(BlfStore.GuidLength);
        row.Property(r => r.CallerName).HasMaxLength(BlfStore.PeerLength);
        row.Property(r => r.CallerNumber).HasMaxLength(BlfStore.PeerLength);
        row.Property(r => r.Note).HasMaxLength(BlfStore.NoteLength);
        row.Property(r => r.Urgency).HasMaxLength(BlfStore.OutcomeLength);
        row.Property(r => r.TakenBy).HasMaxLength(BlfStore.LoginLength);
        row.Property(r => r.DoneBy).HasMaxLength(BlfStore.LoginLength);
        row.HasIndex(r => r.DoneAtUnixMs);
    }
}
