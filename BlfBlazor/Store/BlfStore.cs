using Microsoft.EntityFrameworkCore;

namespace BlfBlazor.Store;

/// <summary>
/// What the board remembers across restarts. One model for SQLite and PostgreSQL: plain strings and
/// 64-bit integers only, no provider-specific types, so one set of migrations serves both.
/// </summary>
internal sealed class BlfStore(DbContextOptions<BlfStore> options) : DbContext(options)
{
    public const int GuidLength = 64;
    public const int CallKeyLength = 128;
    public const int PeerLength = 200;
    public const int OutcomeLength = 16;
    public const int NoteLength = 500;
    public const int LoginLength = 256;

    /// <summary>A person's <c>sub</c> claim: OpenID Connect allows 255 ASCII characters.</summary>
    public const int PersonKeyLength = 255;
    public const int ViewNameLength = 60;
    public const int ViewQueryLength = 2000;

    public DbSet<MissedCallRow> MissedCalls => Set<MissedCallRow>();

    public DbSet<LastCallRow> LastCalls => Set<LastCallRow>();

    public DbSet<FavouriteRow> Favourites => Set<FavouriteRow>();

    public DbSet<SavedViewRow> SavedViews => Set<SavedViewRow>();

    public DbSet<LastViewRow> LastViews => Set<LastViewRow>();

    public DbSet<CallbackRow> Callbacks => Set<CallbackRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<MissedCallRow>(row =>
        {
            row.ToTable("MissedCalls");
            row.HasKey(r => new { r.UserGuid, r.CallKey });
            row.Property(r => r.UserGuid).HasMaxLength(GuidLength);
            row.Property(r => r.CallKey).HasMaxLength(CallKeyLength);
            row.Property(r => r.PeerName).HasMaxLength(PeerLength);
            row.Property(r => r.PeerNumber).HasMaxLength(PeerLength);
            row.Property(r => r.Outcome).HasMaxLength(OutcomeLength);
            row.HasIndex(r => r.AtUnixMs);
        });
        modelBuilder.Entity<LastCallRow>(row =>
        {
            row.ToTable("LastCalls");
            row.HasKey(r => r.UserGuid);
            row.Property(r => r.UserGuid).HasMaxLength(GuidLength);
        });
        modelBuilder.Entity<CallbackRow>(CallbackRow.Configure);
        PersonalBoardsModel(modelBuilder);
    }

    // Personal boards (issue 23): each person's favourites, saved views and last view.
    private static void PersonalBoardsModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FavouriteRow>(row =>
        {
            row.ToTable("Favourites");
            row.HasKey(r => new { r.PersonKey, r.UserGuid });
            row.Property(r => r.PersonKey).HasMaxLength(PersonKeyLength);
            row.Property(r => r.UserGuid).HasMaxLength(GuidLength);
        });
        modelBuilder.Entity<SavedViewRow>(row =>
        {
            row.ToTable("SavedViews");
            row.HasKey(r => new { r.PersonKey, r.Name });
            row.Property(r => r.PersonKey).HasMaxLength(PersonKeyLength);
            row.Property(r => r.Name).HasMaxLength(ViewNameLength);
            row.Property(r => r.Query).HasMaxLength(ViewQueryLength);
        });
        modelBuilder.Entity<LastViewRow>(row =>
        {
            row.ToTable("LastViews");
            row.HasKey(r => r.PersonKey);
            row.Property(r => r.PersonKey).HasMaxLength(PersonKeyLength);
            row.Property(r => r.Query).HasMaxLength(ViewQueryLength);
        });
    }
}
